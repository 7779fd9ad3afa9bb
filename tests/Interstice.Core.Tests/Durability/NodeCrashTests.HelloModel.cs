using System.Text.Json;
using Interstice.Core.CrashNode;

namespace Interstice.Core.Tests.Durability;

public partial class NodeCrashTests
{
    /// <summary>What a restarted node has of the example module <c>hello</c>: whether it is loaded, and its greetings (null when it has no tables: never loaded, or removed).</summary>
    private sealed record HelloObservation(bool Loaded, IReadOnlyList<string>? Greetings);

    /// <summary>
    /// The state of <c>hello</c> that the keeper's operations known to be durable give: whether
    /// the node has it loaded, keeps its tables, or has nothing of it, and its greetings rows.
    /// </summary>
    private sealed class HelloModel
    {
        private enum Presence { Absent, Loaded, Kept }

        /// <summary>A row of <c>greetings</c>; <paramref name="Message"/> is null until seen (its salutation is the transaction's random pick).</summary>
        private sealed record Greeting(ulong Id, string Name, string Mood, string? Message, uint Count);

        private Presence _presence;
        private List<Greeting> _rows = [];
        private ulong _nextId = 1;

        /// <summary>The step of <see cref="Keeper.Cycle"/> the keeper's next operation is.</summary>
        public int NextStep { get; private set; }

        public bool Loaded => _presence == Presence.Loaded;

        /// <summary>Reads what <paramref name="node"/> has of hello (an unloaded module's rows from the tables the node keeps for it).</summary>
        public static HelloObservation Observe(Node node)
        {
            if (node.Modules.Any(m => m.Name == "hello")) return new(true, node.ReadRowsJson("hello", "greetings"));
            if (!node.Database.TryGetTable("hello", "greetings", out var table)) return new(false, null);
            var rows = new List<string>();
            using var view = node.Database.BeginReadOnly();
            using var scan = view.Scan(table);
            while (scan.MoveNext()) rows.Add(node.FormatRow("hello", "greetings", scan.Current.Span));
            return new(false, rows);
        }

        /// <summary>
        /// Takes the run's acknowledged operations into account, then checks <paramref name="actual"/>
        /// against them, with or without the operation under way, and keeps whichever it matches.
        /// Returns whether the operation under way took effect (null when there was none).
        /// </summary>
        public bool? Settle(Run run, HelloObservation actual, string where)
        {
            foreach (var (call, step) in run.Operations)
            {
                Assert.True(step == NextStep, $"{where}: the keeper ran step {step} as operation {call}, expected step {NextStep}");
                Apply(call);
            }
            if (Matches(actual))
            {
                Take(actual);
                return run.Operation is null ? null : false;
            }
            string expected = Describe();
            if (run.Operation is { } pending)
            {
                Assert.True(pending.Step == NextStep, $"{where}: the keeper ran step {pending.Step} as operation {pending.Call}, expected step {NextStep}");
                var before = (_presence, _rows, _nextId, NextStep);
                Apply(pending.Call);
                if (Matches(actual))
                {
                    Take(actual);
                    return true;
                }
                expected += $", or with its {Keeper.Cycle[pending.Step].Action} {pending.Call} (step {pending.Step}) under way {Describe()}";
                (_presence, _rows, _nextId, NextStep) = before;
            }
            throw new Xunit.Sdk.XunitException(
                $"{where}: hello is {(actual.Loaded ? "loaded" : actual.Greetings is null ? "absent" : "kept")} with greetings {Format(actual.Greetings)}, " +
                $"expected from the keeper's acknowledged operations {expected}");
        }

        /// <summary>Applies operation <paramref name="call"/>, step <see cref="NextStep"/> of the cycle.</summary>
        private void Apply(ulong call)
        {
            var step = Keeper.Cycle[NextStep];
            var rows = new List<Greeting>(_rows);
            switch (step.Action, _presence)
            {
                case (KeeperAction.Load, Presence.Absent):
                    _presence = Presence.Loaded;
                    rows = [new Greeting(1, "world", "Happy", "Hello, world!", 1)];
                    _nextId = 2;
                    break;
                case (KeeperAction.Load, Presence.Kept):
                    _presence = Presence.Loaded;
                    break;
                case (KeeperAction.Greet, Presence.Loaded):
                    string name = step.Name ?? Keeper.NameOf(call);
                    int at = rows.FindIndex(g => g.Name == name);
                    if (at >= 0) rows[at] = rows[at] with { Mood = step.Mood!, Count = rows[at].Count + 1 };
                    else rows.Add(new Greeting(_nextId++, name, step.Mood!, null, 1));
                    break;
                case (KeeperAction.Unload, Presence.Loaded):
                    _presence = Presence.Kept;
                    break;
                case (KeeperAction.Remove, not Presence.Absent):
                    _presence = Presence.Absent;
                    rows = [];
                    _nextId = 1;
                    break;
                default:
                    throw new InvalidOperationException($"the keeper's cycle does not fit its model: step {NextStep} ({step.Action}) with hello {_presence}");
            }
            _rows = rows;
            NextStep = (NextStep + 1) % Keeper.Cycle.Count;
        }

        private bool Matches(HelloObservation actual)
        {
            if (actual.Loaded != (_presence == Presence.Loaded) || (actual.Greetings is null) != (_presence == Presence.Absent)) return false;
            var greetings = actual.Greetings ?? [];
            if (greetings.Count != _rows.Count) return false;
            for (int i = 0; i < _rows.Count; i++)
            {
                var (expected, row) = (_rows[i], Parse(greetings[i]));
                if (row.Id != expected.Id || row.Name != expected.Name || row.Mood != expected.Mood || row.Count != expected.Count) return false;
                if (expected.Message is { } message ? row.Message != message : !IsGreetingOf(row.Message!, row.Name)) return false;
            }
            return true;
        }

        /// <summary>Keeps the messages <paramref name="actual"/> shows (it matches): from now on they must stay.</summary>
        private void Take(HelloObservation actual)
        {
            for (int i = 0; i < _rows.Count; i++) _rows[i] = _rows[i] with { Message = Parse(actual.Greetings![i]).Message };
        }

        /// <summary>hello's reducer greets a new name with one of three salutations, picked with the transaction's random stream.</summary>
        private static bool IsGreetingOf(string message, string name) =>
            message == $"Hello, {name}!" || message == $"Hi, {name}!" || message == $"Greetings, {name}!";

        private static Greeting Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            var row = document.RootElement;
            return new Greeting(row.GetProperty("id").GetUInt64(), row.GetProperty("name").GetString()!, row.GetProperty("mood").GetString()!,
                row.GetProperty("message").GetString(), row.GetProperty("count").GetUInt32());
        }

        private string Describe() =>
            $"{_presence.ToString().ToLowerInvariant()} with greetings " +
            (_presence == Presence.Absent ? "none" : "[" + string.Join(", ", _rows.Select(g => $"{g.Id} {g.Name} {g.Mood} \"{g.Message ?? "?"}\" x{g.Count}")) + "]");

        private static string Format(IReadOnlyList<string>? greetings) => greetings is null ? "none" : "[" + string.Join(", ", greetings) + "]";
    }
}
