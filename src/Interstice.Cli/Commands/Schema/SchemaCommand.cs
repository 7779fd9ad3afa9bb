using Interstice.Abi.Schema;
using Interstice.Core.Modules;
using Interstice.Wasm;

namespace Interstice.Cli.Commands.Schema;

/// <summary><c>interstice schema</c>: reads a module's schema from its custom section and prints or saves it.</summary>
internal sealed class SchemaCommand : ICommand
{
    public string Name => "schema";

    public string Summary => "Print or save a module's schema (the file bindings are generated from)";

    public string Usage => """
        usage: interstice schema <module.wasm> [--json] [--out FILE]

        Reads the schema the module carries in its 'interstice.schema' custom section (without
        running any of its code), validates it and checks the module's imports and exports against
        it (docs/abi.md sections 5, 6 and 12).
          (default)   print a readable listing
          --json      print the schema's JSON form (what interstice_sdk::import! reads)
          --out FILE  write to FILE instead: the JSON form with --json, otherwise the canonical
                      binary encoding
        Exit code 1 when the module is not valid WebAssembly or its schema or interface is invalid.
        """;

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = CommandArguments.Parse(args, ["out"], ["json"]);
        if (arguments.Positional.Count != 1) throw new UsageException("name exactly one module file");
        string path = arguments.GetPositionalPath(0, "<module.wasm>");
        bool json = arguments.Has("json");
        string? output = arguments.GetPath("out");

        byte[] wasm;
        try
        {
            wasm = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"interstice schema: cannot read {path}: {e.Message}");
            return 1;
        }

        ModuleContract contract;
        try
        {
            contract = ModuleContract.Read(wasm, new Engine());
        }
        catch (ModuleContractException e)
        {
            stderr.WriteLine($"interstice schema: {path}: {e.Message}");
            return 1;
        }
        if (contract.InterfaceErrors.Count > 0)
        {
            stderr.WriteLine($"interstice schema: {path}: the module's imports and exports do not fit its schema:");
            foreach (string error in contract.InterfaceErrors) stderr.WriteLine($"  - {error}");
            return 1;
        }

        var schema = contract.Schema;
        try
        {
            if (output is null)
            {
                stdout.Write(json ? SchemaJson.Format(schema) : SchemaText.Format(schema));
            }
            else if (json)
            {
                File.WriteAllText(output, SchemaJson.Format(schema));
            }
            else
            {
                File.WriteAllBytes(output, SchemaBinary.Encode(schema));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"interstice schema: cannot write {output}: {e.Message}");
            return 1;
        }
        return 0;
    }
}
