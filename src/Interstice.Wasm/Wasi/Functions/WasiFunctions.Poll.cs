using System.Buffers.Binary;
using Interstice.Wasm.Wasi.Abi;
using Interstice.Wasm.Wasi.Descriptors;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary>
/// <c>poll_oneoff</c>. Clock subscriptions sleep (through <see cref="WasiClocks.Sleep"/>) until the
/// earliest one is due, then report every one that is. Descriptor subscriptions are reported
/// ready at once, without sleeping: files always are, and the standard streams are treated the
/// same way (a read may then block), which is what programs that sleep or poll a file need. Host
/// failures become the error of the event they concern, never exceptions.
/// </summary>
internal sealed partial class WasiFunctions
{
    private void DefinePoll(Linker linker) =>
        Define(linker, "poll_oneoff", (Func<Caller, int, int, int, int, int>)PollOneoff);

    private int PollOneoff(Caller caller, int subscriptionsIn, int eventsOut, int count, int eventCountOut)
    {
        if (count <= 0) return (int)Errno.Invalid;
        var memory = MemoryOf(caller);
        if (!memory.TryGetSpan(subscriptionsIn, (ulong)count * Layouts.SubscriptionSize, out var subscriptions)
            || !memory.TryGetSpan(eventsOut, (ulong)count * Layouts.EventSize, out var events)
            || !memory.TryGetSpan(eventCountOut, 4, out _))
            return (int)Errno.Fault;

        // Copy what is needed first: the event array may overlap the subscriptions.
        var pending = new (ulong UserData, EventType Type, Errno Error, long DueIn, ulong Bytes)[count];
        bool immediate = false;
        long earliest = long.MaxValue;
        for (int i = 0; i < count; i++)
        {
            var subscription = subscriptions.Slice(i * Layouts.SubscriptionSize, Layouts.SubscriptionSize);
            ulong userData = BinaryPrimitives.ReadUInt64LittleEndian(subscription);
            var type = (EventType)subscription[8];
            switch (type)
            {
                case EventType.Clock:
                    {
                        uint id = BinaryPrimitives.ReadUInt32LittleEndian(subscription[16..]);
                        ulong timeout = BinaryPrimitives.ReadUInt64LittleEndian(subscription[24..]);
                        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(subscription[40..]);
                        if (id > (uint)WasiClock.ThreadCpuTime || (flags & ~Layouts.SubscriptionClockAbsolute) != 0)
                        {
                            pending[i] = (userData, type, Errno.Invalid, 0, 0);
                            immediate = true;
                            break;
                        }
                        long dueIn = (long)Math.Min(timeout, long.MaxValue);
                        if ((flags & Layouts.SubscriptionClockAbsolute) != 0)
                            dueIn -= context.Clocks.Now((WasiClock)id);
                        dueIn = Math.Max(0, dueIn);
                        pending[i] = (userData, type, Errno.Success, dueIn, 0);
                        earliest = Math.Min(earliest, dueIn);
                        break;
                    }
                case EventType.FdRead or EventType.FdWrite:
                    {
                        int fd = BinaryPrimitives.ReadInt32LittleEndian(subscription[16..]);
                        var descriptor = Descriptors.Get(fd);
                        var error = descriptor is null ? Errno.BadDescriptor
                            : !descriptor.Can(Rights.PollFdReadwrite) ? Errno.NotCapable
                            : Errno.Success;
                        ulong bytes = 0;
                        if (error == Errno.Success && type == EventType.FdRead && descriptor is FileDescriptor file)
                            error = BytesLeft(file, out bytes);
                        pending[i] = (userData, type, error, -1, bytes);
                        immediate = true;
                        break;
                    }
                default:
                    pending[i] = (userData, type, Errno.Invalid, -1, 0);
                    immediate = true;
                    break;
            }
        }

        if (!immediate)
        {
            if (context.Cancellation.IsCancellationRequested) return (int)Errno.Interrupted;
            context.Clocks.Sleep(earliest, context.Cancellation);
            if (context.Cancellation.IsCancellationRequested) return (int)Errno.Interrupted;
        }

        int written = 0;
        foreach (var (userData, type, error, dueIn, bytes) in pending)
        {
            bool ready = immediate ? type != EventType.Clock || error != Errno.Success : dueIn <= earliest;
            if (!ready) continue;
            var target = events.Slice(written++ * Layouts.EventSize, Layouts.EventSize);
            target.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(target, userData);
            BinaryPrimitives.WriteUInt16LittleEndian(target[8..], (ushort)error);
            target[10] = (byte)type;
            BinaryPrimitives.WriteUInt64LittleEndian(target[16..], bytes);
        }
        memory.TryWriteUInt32(eventCountOut, (uint)written);
        return (int)Errno.Success;
    }

    /// <summary>
    /// How many bytes are left to read in <paramref name="file"/>. When the host cannot tell (a
    /// FIFO cannot seek, the disk fails), its error becomes the error of the subscription's event.
    /// </summary>
    private static Errno BytesLeft(FileDescriptor file, out ulong bytes)
    {
        bytes = 0;
        try
        {
            bytes = (ulong)Math.Max(0, RandomAccess.GetLength(file.Handle) - (long)file.Position);
            return Errno.Success;
        }
        catch (Exception e) when (HostErrors.IsFileSystemError(e))
        {
            return HostErrors.ToErrno(e);
        }
    }
}
