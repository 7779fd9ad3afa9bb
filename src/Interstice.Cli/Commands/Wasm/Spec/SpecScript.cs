using System.Globalization;
using System.Text.Json;

namespace Interstice.Cli.Commands.Wasm.Spec;

/// <summary>
/// A spec test script as written by <c>wast2json</c>: the commands of one <c>.wast</c> file, in order.
/// Module files named by the commands live in <see cref="Directory"/>.
/// </summary>
internal sealed class SpecScript
{
    private SpecScript(string path, string sourceFileName, IReadOnlyList<SpecCommand> commands)
    {
        Path = path;
        SourceFileName = sourceFileName;
        Commands = commands;
    }

    /// <summary>The JSON file read.</summary>
    public string Path { get; }

    /// <summary>The <c>.wast</c> file the script was converted from (<c>source_filename</c>).</summary>
    public string SourceFileName { get; }

    public IReadOnlyList<SpecCommand> Commands { get; }

    /// <summary>The directory holding the script and its module files.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? ".";

    /// <summary>The full path of a module file named by a command.</summary>
    public string GetModulePath(string fileName) => System.IO.Path.Combine(Directory, fileName);

    /// <summary>Reads a script file. Throws <see cref="InvalidDataException"/> naming the file, line and problem when it is not a well-formed script.</summary>
    public static SpecScript Load(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses a script; <paramref name="path"/> names it in errors and locates its module files.</summary>
    public static SpecScript Parse(ReadOnlyMemory<byte> json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: a script must be a JSON object");
            string source = OptionalString(root, "source_filename", path, 0) ?? System.IO.Path.GetFileName(path);
            if (!root.TryGetProperty("commands", out var commandsElement) || commandsElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: a script needs a \"commands\" array");
            var commands = new List<SpecCommand>(commandsElement.GetArrayLength());
            foreach (var command in commandsElement.EnumerateArray()) commands.Add(ReadCommand(command, path));
            return new SpecScript(path, source, commands);
        }
    }

    private static SpecCommand ReadCommand(JsonElement command, string path)
    {
        if (command.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: every command must be a JSON object");
        int line = command.TryGetProperty("line", out var lineElement) && lineElement.TryGetInt32(out int l) ? l : 0;
        string type = RequiredString(command, "type", path, line);
        return type switch
        {
            "module" => new ModuleCommand(line, OptionalString(command, "name", path, line), RequiredString(command, "filename", path, line),
                ReadModuleType(command, path, line)),
            "register" => new RegisterCommand(line, RequiredString(command, "as", path, line), OptionalString(command, "name", path, line)),
            "action" => new ActionCommand(line, ReadAction(command, path, line), ReadValues(command, "expected", path, line)),
            "assert_return" => new AssertReturnCommand(line, ReadAction(command, path, line), ReadValues(command, "expected", path, line)),
            "assert_trap" => new AssertTrapCommand(line, ReadAction(command, path, line), RequiredString(command, "text", path, line),
                ReadValues(command, "expected", path, line)),
            "assert_exhaustion" => new AssertExhaustionCommand(line, ReadAction(command, path, line), RequiredString(command, "text", path, line),
                ReadValues(command, "expected", path, line)),
            "assert_malformed" => new AssertMalformedCommand(line, RequiredString(command, "filename", path, line),
                RequiredString(command, "text", path, line), ReadModuleType(command, path, line)),
            "assert_invalid" => new AssertInvalidCommand(line, RequiredString(command, "filename", path, line),
                RequiredString(command, "text", path, line), ReadModuleType(command, path, line)),
            "assert_unlinkable" => new AssertUnlinkableCommand(line, RequiredString(command, "filename", path, line),
                RequiredString(command, "text", path, line), ReadModuleType(command, path, line)),
            "assert_uninstantiable" => new AssertUninstantiableCommand(line, RequiredString(command, "filename", path, line),
                RequiredString(command, "text", path, line), ReadModuleType(command, path, line)),
            _ => throw Error(path, line, $"unknown command type \"{type}\""),
        };
    }

    /// <summary>The encoding of a command's module: <c>module_type</c> when given, else the file extension.</summary>
    private static SpecModuleType ReadModuleType(JsonElement command, string path, int line)
    {
        string? moduleType = OptionalString(command, "module_type", path, line);
        return moduleType switch
        {
            "binary" => SpecModuleType.Binary,
            "text" => SpecModuleType.Text,
            null => RequiredString(command, "filename", path, line).EndsWith(".wat", StringComparison.OrdinalIgnoreCase)
                ? SpecModuleType.Text
                : SpecModuleType.Binary,
            _ => throw Error(path, line, $"unknown module_type \"{moduleType}\""),
        };
    }

    private static SpecAction ReadAction(JsonElement command, string path, int line)
    {
        if (!command.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
            throw Error(path, line, "the command needs an \"action\" object");
        string type = RequiredString(action, "type", path, line);
        string? module = OptionalString(action, "module", path, line);
        string field = RequiredString(action, "field", path, line);
        return type switch
        {
            "invoke" => new InvokeAction(module, field, ReadValues(action, "args", path, line)),
            "get" => new GetAction(module, field),
            _ => throw Error(path, line, $"unknown action type \"{type}\""),
        };
    }

    private static IReadOnlyList<SpecValue> ReadValues(JsonElement owner, string property, string path, int line)
    {
        if (!owner.TryGetProperty(property, out var array)) return [];
        if (array.ValueKind != JsonValueKind.Array) throw Error(path, line, $"\"{property}\" must be an array");
        var values = new SpecValue[array.GetArrayLength()];
        int i = 0;
        foreach (var element in array.EnumerateArray()) values[i++] = ReadValue(element, path, line);
        return values;
    }

    private static SpecValue ReadValue(JsonElement element, string path, int line)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Error(path, line, "a value must be a JSON object");
        string typeName = RequiredString(element, "type", path, line);
        var type = typeName switch
        {
            "i32" => SpecValueType.I32,
            "i64" => SpecValueType.I64,
            "f32" => SpecValueType.F32,
            "f64" => SpecValueType.F64,
            "v128" => SpecValueType.V128,
            "funcref" => SpecValueType.FuncRef,
            "externref" => SpecValueType.ExternRef,
            _ => throw Error(path, line, $"unknown value type \"{typeName}\""),
        };
        bool hasValue = element.TryGetProperty("value", out var value);
        if (type != SpecValueType.V128)
        {
            if (!hasValue) return new SpecValue(type, new SpecLane(SpecValueKind.Unspecified, 0));
            if (value.ValueKind != JsonValueKind.String) throw Error(path, line, $"a {typeName} value must be a string");
            return new SpecValue(type, ReadLane(value.GetString()!, type, path, line));
        }

        // A v128 given by type only (results of assert_trap) has no lane shape either.
        if (!hasValue) return new SpecValue(type, new SpecLane(SpecValueKind.Unspecified, 0));
        string laneName = RequiredString(element, "lane_type", path, line);
        var (laneType, laneValueType) = laneName switch
        {
            "i8" => (SpecLaneType.I8, SpecValueType.I32),
            "i16" => (SpecLaneType.I16, SpecValueType.I32),
            "i32" => (SpecLaneType.I32, SpecValueType.I32),
            "i64" => (SpecLaneType.I64, SpecValueType.I64),
            "f32" => (SpecLaneType.F32, SpecValueType.F32),
            "f64" => (SpecLaneType.F64, SpecValueType.F64),
            _ => throw Error(path, line, $"unknown v128 lane type \"{laneName}\""),
        };
        if (value.ValueKind != JsonValueKind.Array) throw Error(path, line, "a v128 value must be an array of lanes");
        var lanes = new SpecLane[value.GetArrayLength()];
        int expectedLanes = laneType switch
        {
            SpecLaneType.I8 => 16,
            SpecLaneType.I16 => 8,
            SpecLaneType.I32 or SpecLaneType.F32 => 4,
            _ => 2,
        };
        if (lanes.Length != expectedLanes) throw Error(path, line, $"a v128 of {laneName} lanes needs {expectedLanes} lanes, not {lanes.Length}");
        int i = 0;
        foreach (var lane in value.EnumerateArray())
        {
            if (lane.ValueKind != JsonValueKind.String) throw Error(path, line, "a v128 lane must be a string");
            var parsed = ReadLane(lane.GetString()!, laneValueType, path, line);
            int bits = laneType switch { SpecLaneType.I8 => 8, SpecLaneType.I16 => 16, _ => 64 };
            if (bits < 64 && parsed.Kind == SpecValueKind.Bits) parsed = parsed with { Bits = parsed.Bits & ((1UL << bits) - 1) };
            lanes[i++] = parsed;
        }
        return new SpecValue(type, new SpecLane(SpecValueKind.Bits, 0), laneType, lanes);
    }

    /// <summary>Parses one value string: a decimal bit pattern, <c>null</c> for references, or a NaN pattern for floats.</summary>
    private static SpecLane ReadLane(string text, SpecValueType type, string path, int line)
    {
        bool isFloat = type is SpecValueType.F32 or SpecValueType.F64;
        bool isReference = type is SpecValueType.FuncRef or SpecValueType.ExternRef;
        if (isFloat && text == "nan:canonical") return new SpecLane(SpecValueKind.CanonicalNan, 0);
        if (isFloat && text == "nan:arithmetic") return new SpecLane(SpecValueKind.ArithmeticNan, 0);
        if (isReference && text == "null") return new SpecLane(SpecValueKind.Null, 0);
        if (type == SpecValueType.FuncRef) throw Error(path, line, $"a funcref value can only be \"null\", not \"{text}\"");

        ulong mask = type is SpecValueType.I32 or SpecValueType.F32 ? uint.MaxValue : ulong.MaxValue;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong unsigned) && unsigned <= mask)
            return new SpecLane(SpecValueKind.Bits, unsigned);
        // Some wast2json versions write negative integers; keep their two's complement bits.
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed) && signed < 0 &&
            (mask == ulong.MaxValue || signed >= int.MinValue))
            return new SpecLane(SpecValueKind.Bits, (ulong)signed & mask);
        throw Error(path, line, $"\"{text}\" is not a valid {type.ToString().ToLowerInvariant()} value");
    }

    private static string RequiredString(JsonElement element, string property, string path, int line) =>
        OptionalString(element, property, path, line) ?? throw Error(path, line, $"missing \"{property}\"");

    private static string? OptionalString(JsonElement element, string property, string path, int line)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw Error(path, line, $"\"{property}\" must be a string");
        return value.GetString();
    }

    private static InvalidDataException Error(string path, int line, string message) =>
        new(line > 0 ? $"{path}:{line}: {message}" : $"{path}: {message}");
}
