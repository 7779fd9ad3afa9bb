using Interstice.Abi.Schema;

namespace Interstice.Abi.Tests;

/// <summary>abi/vectors/schema.json, schema.hex and schema-records.hex describe the same schema.</summary>
public class SchemaVectorTests
{
    private static readonly ModuleSchema FromJson = SchemaJson.Parse(File.ReadAllText(RepositoryFiles.Vectors("schema.json")));
    private static readonly byte[] Canonical = RepositoryFiles.ReadHex(RepositoryFiles.Vectors("schema.hex"));
    private static readonly byte[] Records = RepositoryFiles.ReadHex(RepositoryFiles.Vectors("schema-records.hex"));

    [Fact]
    public void Encoding_the_schema_gives_the_canonical_bytes() =>
        Assert.Equal(Convert.ToHexStringLower(Canonical), Convert.ToHexStringLower(SchemaBinary.Encode(FromJson)));

    [Fact]
    public void Decoding_the_canonical_bytes_gives_the_schema() =>
        Assert.Equal(FromJson, SchemaBinary.Decode(Canonical));

    [Fact]
    public void Assembling_scrambled_records_gives_the_canonical_schema()
    {
        var assembled = SchemaRecords.Assemble(Records);

        Assert.Equal(FromJson, assembled);
        Assert.Equal(Canonical, SchemaBinary.Encode(assembled));
    }

    [Fact]
    public void Records_written_from_a_schema_assemble_back_to_it() =>
        Assert.Equal(FromJson, SchemaRecords.Assemble(SchemaRecords.Encode(FromJson)));

    [Fact]
    public void The_json_form_round_trips_and_matches_the_file_exactly()
    {
        string json = SchemaJson.Format(FromJson);

        Assert.Equal(FromJson, SchemaJson.Parse(json));
        Assert.Contains("\"primary_key\": \"id\"", json);
        Assert.Contains("\"on\": \"eu-1.bank.accounts.delete\"", json);
    }

    [Fact]
    public void The_vector_covers_every_part_of_the_schema()
    {
        var s = FromJson;
        Assert.Equal(Visibility.Public, s.Visibility);
        Assert.Equal(["Gpu", "Input"], s.Authorities);
        Assert.Contains(s.Types, t => t is Types.EnumDefinition e && e.Variants.Any(v => v.Kind == Types.VariantKind.Struct));
        Assert.Contains(s.Types, t => t is Types.EnumDefinition e && e.Variants.Any(v => v.Kind == Types.VariantKind.Tuple));
        Assert.Contains(s.Tables, t => t.Ephemeral);
        Assert.Contains(s.Tables, t => t.AutoInc.Count > 0);
        Assert.Contains(s.Tables.SelectMany(t => t.Indexes), i => i.Kind == IndexKind.BTree);
        Assert.Contains(s.Tables.SelectMany(t => t.Indexes), i => i.Kind == IndexKind.Hash && i.Unique);
        Assert.Contains(s.Subscriptions, x => x.Event is InitEvent);
        Assert.Contains(s.Subscriptions, x => x.Event is TableEvent { Node: not null, Kind: TableEventKind.Delete });
        Assert.Contains(s.Subscriptions, x => x.Event is TableEvent { Kind: TableEventKind.Update });
        Assert.Contains(s.Dependencies, d => d.Node is not null);
    }

    [Fact]
    public void The_canonical_decoder_rejects_a_schema_out_of_order()
    {
        var reversed = FromJson with { Tables = FromJson.Tables.Reverse().ToArray() };

        var error = Assert.Throws<SchemaException>(() => SchemaBinary.Decode(SchemaBinary.Encode(reversed)));

        Assert.Contains("table 'cursors' is out of canonical order", error.Message);
    }

    [Fact]
    public void Table_and_index_ids_are_positions_in_the_canonical_lists()
    {
        Assert.Equal(1, FromJson.FindTable("greetings"));
        var greetings = FromJson.Tables[1];
        Assert.Equal(["mood", "name"], greetings.Indexes.Select(i => i.Name));
        Assert.Equal(-1, FromJson.FindTable("nope"));
    }
}
