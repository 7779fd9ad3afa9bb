using Interstice.Core.Durability.Records;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Durability.Support;

public static partial class Forgery
{
    /// <summary>
    /// A well-formed change of meaning, which the byte changes rarely reach: in a transaction
    /// record (<see cref="TransactionBody"/>) a row change dropped, repeated, moved, given another
    /// kind, table or row, its sequence moved; in a snapshot (<see cref="SnapshotBody"/>) rows
    /// reordered, repeated, dropped or swapped between tables, a table renamed or its sequence
    /// changed, a catalog event dropped, repeated or moved.
    /// </summary>
    private static Forged Restructure(string root, List<string> segments, List<string> snapshots, Random random) =>
        snapshots.Count == 0 || random.Next(5) < 3
            ? RestructureTransaction(root, segments, random)
            : RestructureSnapshot(root, snapshots[random.Next(snapshots.Count)], random);

    private static Forged RestructureTransaction(string root, List<string> segments, Random random)
    {
        var files = segments.Select(FramedFile.Read).ToList();
        var transactions = new List<(int File, int Index, TransactionBody Body)>();
        for (int f = 0; f < files.Count; f++)
        {
            for (int i = 0; i < files[f].Bodies.Count; i++)
            {
                if (TransactionBody.Read(files[f].Bodies[i]) is { } body) transactions.Add((f, i, body));
            }
        }
        var tables = transactions.SelectMany(t => t.Body.Rows.Select(r => (r.Module, r.Table))).Distinct().ToList();
        var rows = transactions.SelectMany(t => t.Body.Rows.SelectMany(r => new[] { r.OldRow, r.NewRow })).Where(r => !r.IsEmpty).ToList();
        var (file, index, transaction) = transactions[random.Next(transactions.Count)];
        string change = Restructure(transaction, tables, rows, transactions[random.Next(transactions.Count)].Body.Inputs, random);
        files[file].Bodies[index] = transaction.Write();
        files[file].Write(segments[file]);
        return new($"{Name(root, segments[file])} record {index} at byte {files[file].OffsetOf(index)}: {change}", [Name(root, segments[file])]);
    }

    private static string Restructure(TransactionBody transaction, List<(string Module, string Table)> tables, List<ReadOnlyMemory<byte>> pool,
        byte[] otherInputs, Random random)
    {
        var rows = transaction.Rows;
        int op = random.Next(9);
        if (rows.Count == 0 && op < 8) op = 6;
        int k = rows.Count == 0 ? 0 : random.Next(rows.Count);
        switch (op)
        {
            case 0:
                rows.RemoveAt(k);
                return $"row change {k} dropped";
            case 1:
                rows.Insert(k, rows[k]);
                return $"row change {k} repeated";
            case 2:
            {
                var row = rows[k];
                var kind = (RowChangeKind)(((int)row.Kind + 1 + random.Next(2)) % 3);
                var old = row.Kind == RowChangeKind.Insert ? row.NewRow : row.OldRow;
                var now = row.Kind == RowChangeKind.Delete ? row.OldRow : row.NewRow;
                rows[k] = row with { Kind = kind, OldRow = kind == RowChangeKind.Insert ? default : old, NewRow = kind == RowChangeKind.Delete ? default : now };
                return $"row change {k} ({row.Kind}) made a {kind}";
            }
            case 3:
            {
                var (module, table) = tables[random.Next(tables.Count)];
                rows[k] = rows[k] with { Module = module, Table = table };
                return $"row change {k} moved to table {module}.{table}";
            }
            case 4:
            {
                var other = pool[random.Next(pool.Count)];
                bool old = rows[k].Kind == RowChangeKind.Delete || (rows[k].Kind == RowChangeKind.Update && random.Next(2) == 0);
                rows[k] = old ? rows[k] with { OldRow = other } : rows[k] with { NewRow = other };
                return $"row change {k}'s {(old ? "old" : "new")} row replaced by another logged row";
            }
            case 5 when rows[k].Kind == RowChangeKind.Update:
                rows[k] = rows[k] with { OldRow = rows[k].NewRow, NewRow = rows[k].OldRow };
                return $"row change {k}'s old and new rows swapped";
            case 5:
            case 7:
            {
                int j = random.Next(rows.Count);
                (rows[k], rows[j]) = (rows[j], rows[k]);
                return $"row changes {k} and {j} swapped";
            }
            case 6:
            {
                var sequences = transaction.Sequences;
                if (sequences.Count == 0)
                {
                    var (module, table) = tables[random.Next(tables.Count)];
                    ulong added = Extreme64[random.Next(Extreme64.Length)];
                    sequences.Add(new LoggedSequenceChange(module, table, added));
                    return $"a sequence move of {module}.{table} to {added} added";
                }
                int s = random.Next(sequences.Count);
                if (random.Next(3) == 0)
                {
                    var (module, table) = tables[random.Next(tables.Count)];
                    sequences[s] = sequences[s] with { Module = module, Table = table };
                    return $"sequence move {s} moved to table {module}.{table}";
                }
                ulong next = random.Next(2) == 0 ? Extreme64[random.Next(Extreme64.Length)] : sequences[s].NextValue + (ulong)(long)(random.Next(2) * 2 - 1);
                sequences[s] = sequences[s] with { NextValue = next };
                return $"sequence move {s} set to {next}";
            }
            default:
                transaction.Inputs = random.Next(2) == 0 ? [] : otherInputs;
                return $"inputs replaced ({transaction.Inputs.Length} bytes)";
        }
    }

    private static Forged RestructureSnapshot(string root, string path, Random random)
    {
        var snapshot = SnapshotBody.Read(path);
        var tables = snapshot.Tables;
        var withRows = tables.Where(t => t.Rows.Count > 0).ToList();
        var table = withRows[random.Next(withRows.Count)];
        var rows = table.Rows;
        int k = random.Next(rows.Count);
        string what = $"{table.Module}.{table.Name}";
        string change;
        switch (random.Next(9))
        {
            case 0:
            {
                int j = random.Next(rows.Count);
                (rows[k], rows[j]) = (rows[j], rows[k]);
                change = $"rows {k} and {j} of {what} swapped";
                break;
            }
            case 1:
                rows.Insert(k, rows[k]);
                change = $"row {k} of {what} repeated";
                break;
            case 2:
                rows.RemoveAt(k);
                change = $"row {k} of {what} dropped";
                break;
            case 3:
            {
                var other = withRows[random.Next(withRows.Count)];
                rows[k] = other.Rows[random.Next(other.Rows.Count)];
                change = $"row {k} of {what} replaced by a row of {other.Module}.{other.Name}";
                break;
            }
            case 4:
            {
                var target = tables[random.Next(tables.Count)];
                target.NextSequence = random.Next(2) == 0 ? Extreme64[random.Next(Extreme64.Length)] : target.NextSequence + (ulong)(long)(random.Next(2) * 2 - 1);
                change = $"the sequence of {target.Module}.{target.Name} set to {target.NextSequence}";
                break;
            }
            case 5:
            {
                int a = tables.IndexOf(table), b = random.Next(tables.Count);
                (tables[a], tables[b]) = (tables[a] with { Module = tables[b].Module, Name = tables[b].Name }, tables[b] with { Module = tables[a].Module, Name = tables[a].Name });
                change = $"tables {what} and {tables[a].Module}.{tables[a].Name} swap names";
                break;
            }
            case 6:
            {
                var events = snapshot.Events;
                int e = random.Next(events.Count);
                int how = random.Next(3);
                if (how == 0) events.RemoveAt(e);
                else if (how == 1) events.Insert(e, events[e]);
                else events.Add(events[e]);
                change = $"catalog event {e} {(how == 0 ? "dropped" : how == 1 ? "repeated" : "repeated at the end")}";
                break;
            }
            case 7:
            {
                var other = tables[random.Next(tables.Count)];
                other.Rows.AddRange(rows);
                change = $"the rows of {what} also given to {other.Module}.{other.Name}";
                break;
            }
            default:
                tables.Remove(table);
                change = $"table {what} dropped";
                break;
        }
        snapshot.Write(path);
        return new($"{Name(root, path)}: {change}", [Name(root, path)]);
    }
}
