using Interstice.Wasm;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Cli.Commands.Wasm.Spec;

/// <summary>
/// The host side of a spec script: the <c>spectest</c> module that the suite's modules import
/// (print functions, globals, a table and a memory), and the host references <c>ref.extern N</c>.
/// </summary>
internal static class SpecHost
{
    /// <summary>A linker holding a fresh <c>spectest</c> module; registered instances are added to it.</summary>
    public static Linker CreateLinker()
    {
        var linker = new Linker { AllowShadowing = true };
        linker.DefineFunction("spectest", "print", () => { });
        linker.DefineFunction("spectest", "print_i32", (int _) => { });
        linker.DefineFunction("spectest", "print_i64", (long _) => { });
        linker.DefineFunction("spectest", "print_f32", (float _) => { });
        linker.DefineFunction("spectest", "print_f64", (double _) => { });
        linker.DefineFunction("spectest", "print_i32_f32", (int _, float _) => { });
        linker.DefineFunction("spectest", "print_f64_f64", (double _, double _) => { });
        linker.Define("spectest", "global_i32", new Global(new GlobalType(ValueType.I32, false), Value.FromI32(666)));
        linker.Define("spectest", "global_i64", new Global(new GlobalType(ValueType.I64, false), Value.FromI64(666)));
        linker.Define("spectest", "global_f32", new Global(new GlobalType(ValueType.F32, false), Value.FromF32(666.6f)));
        linker.Define("spectest", "global_f64", new Global(new GlobalType(ValueType.F64, false), Value.FromF64(666.6)));
        linker.Define("spectest", "table", new Table(new TableType(ValueType.FuncRef, new Limits(10, 20))));
        linker.Define("spectest", "memory", new Memory(new MemoryType(new Limits(1, 2))));
        return linker;
    }

    /// <summary>The host value <c>ref.extern N</c>: one object per number, so that identity survives a round trip.</summary>
    public sealed record HostReference(ulong Number);
}
