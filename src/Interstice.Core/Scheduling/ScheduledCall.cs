namespace Interstice.Core.Scheduling;

/// <summary>A reducer call queued with <c>schedule</c>: a row of <c>interstice.schedules</c>.</summary>
/// <param name="Id">The schedule id the module was given.</param>
/// <param name="Due">When it is due, in microseconds since the Unix epoch.</param>
/// <param name="Module">The module whose reducer runs.</param>
/// <param name="Reducer">The reducer.</param>
/// <param name="Arguments">The encoded arguments.</param>
public sealed record ScheduledCall(ulong Id, long Due, string Module, string Reducer, byte[] Arguments);
