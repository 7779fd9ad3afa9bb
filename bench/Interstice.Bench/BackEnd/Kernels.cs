namespace Interstice.Bench.BackEnd;

/// <summary>Small WebAssembly programs (text format) that stress one thing each: calls, memory, floats, integer ops, the host boundary.</summary>
internal static class Kernels
{
    public const string Module = """
        (module
          (import "host" "nop" (func $host_nop (param i32) (result i32)))
          (memory (export "memory") 64)
          (type $unary (func (param i32) (result i32)))
          (table 4 funcref)
          (elem (i32.const 0) $inc $dec $inc $dec)

          ;; calls: naive recursive Fibonacci
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2)))))))

          ;; memory: sieve of Eratosthenes over n bytes, returns the number of primes below n
          (func (export "sieve") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $count i32)
            (memory.fill (i32.const 0) (i32.const 1) (local.get $n))
            (local.set $i (i32.const 2))
            (block $done (loop $outer
              (br_if $done (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
              (if (i32.load8_u (local.get $i))
                (then
                  (local.set $j (i32.mul (local.get $i) (local.get $i)))
                  (block $inner_done (loop $inner
                    (br_if $inner_done (i32.ge_u (local.get $j) (local.get $n)))
                    (i32.store8 (local.get $j) (i32.const 0))
                    (local.set $j (i32.add (local.get $j) (local.get $i)))
                    (br $inner)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $outer)))
            (local.set $i (i32.const 2))
            (block $done (loop $count_loop
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $count (i32.add (local.get $count) (i32.load8_u (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $count_loop)))
            (local.get $count))

          ;; floats: n x n matrix product of f64 matrices at 0, n*n*8 and 2*n*n*8
          (func (export "matmul") (param $n i32) (result f64)
            (local $i i32) (local $j i32) (local $k i32) (local $sum f64) (local $b i32) (local $c i32)
            (local.set $b (i32.mul (i32.mul (local.get $n) (local.get $n)) (i32.const 8)))
            (local.set $c (i32.mul (local.get $b) (i32.const 2)))
            (local.set $i (i32.const 0))
            (loop $li
              (local.set $j (i32.const 0))
              (loop $lj
                (local.set $sum (f64.const 0))
                (local.set $k (i32.const 0))
                (loop $lk
                  (local.set $sum (f64.add (local.get $sum)
                    (f64.mul
                      (f64.load (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3)))
                      (f64.load (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 3)))))))
                  (br_if $lk (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
                (f64.store (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))) (local.get $sum))
                (br_if $lj (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
              (br_if $li (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (f64.load (local.get $c)))

          ;; integers: xorshift hashing loop
          (func (export "hash") (param $n i32) (result i64) (local $x i64)
            (local.set $x (i64.const 88172645463325252))
            (loop $l
              (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
              (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
              (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $x))

          ;; the host boundary: n calls to an imported host function
          (func (export "host_calls") (param $n i32) (result i32) (local $acc i32)
            (loop $l
              (local.set $acc (i32.add (local.get $acc) (call $host_nop (local.get $n))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $acc))

          ;; tables: n calls through call_indirect
          (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func $dec (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1)))
          (func (export "indirect_calls") (param $n i32) (result i32) (local $acc i32)
            (loop $l
              (local.set $acc (call_indirect (type $unary) (local.get $acc) (i32.and (local.get $n) (i32.const 2))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $acc))

          ;; the other way: a trivial export the host calls n times
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
        """;
}
