using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Transactions;

namespace Interstice.Cli.Tests.Log;

/// <summary>
/// <c>log inspect</c> on records whose timestamps no date holds (the log does not check
/// timestamps, so a damaged or forged record can say anything): each is printed as its number
/// and the listing goes on. (Formatting one as a date used to end the command with an
/// <see cref="ArgumentOutOfRangeException"/>, or to print a wrong date when its ticks overflowed.)
/// </summary>
public class InspectTimestampTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("interstice-inspect-time-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_timestamp_that_is_no_date_is_printed_as_its_number()
    {
        var inputs = new CommitInputs(CommitKind.Call, "m", "f", "client", ReadOnlyMemory<byte>.Empty, 0, null, 0).Encode();
        using (var log = CommitLog.Open(new DurabilityOptions(_directory)))
        {
            log.AppendTransaction(1, 1_000_000_000_000_000_000, inputs, new ChangeSetBuilder().Build());
            log.AppendTransaction(2, long.MaxValue, inputs, new ChangeSetBuilder().Build());
            log.AppendTransaction(3, long.MinValue, inputs, new ChangeSetBuilder().Build());
            log.AppendTransaction(4, 1_700_000_000_000_000, inputs, new ChangeSetBuilder().Build());
        }

        var (exit, output, error) = Repository.Cli("log", "inspect", "--data-dir", _directory);
        Assert.True(exit == 0, error);
        Assert.Contains("#1  time 1000000000000000000 (microseconds since 1970: no date)  call m.f() by client", output);
        Assert.Contains("#2  time 9223372036854775807 (microseconds since 1970: no date)", output);
        Assert.Contains("#3  time -9223372036854775808 (microseconds since 1970: no date)", output);
        Assert.Contains("#4  2023-11-14 22:13:20.000000 UTC", output);
        Assert.Contains("4 records", output);
    }
}
