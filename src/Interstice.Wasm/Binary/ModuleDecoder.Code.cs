using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>The code section: local declarations and a well-formedness scan of each body (spec 5.5.13).</summary>
internal sealed partial class ModuleDecoder
{
    private FunctionBody[] _bodies = [];

    private void ReadCodeSection(ref WasmReader reader)
    {
        int countOffset = reader.Position;
        int count = reader.ReadCount();
        if (count != _functionTypeIndices.Length)
            throw reader.ErrorAt(countOffset, $"function and code section have inconsistent lengths ({_functionTypeIndices.Length} functions declared, {count} bodies)");
        var bodies = new FunctionBody[count];
        for (int i = 0; i < count; i++)
        {
            int size = reader.ReadLength();
            int start = reader.Position;
            var body = new WasmReader(_bytes, start, start + size, reader.Section);
            bodies[i] = ReadFunctionBody(ref body);
            reader.Position = start + size;
        }
        _bodies = bodies;
    }

    private FunctionBody ReadFunctionBody(ref WasmReader reader)
    {
        int start = reader.Position;
        int declarationCount = reader.ReadCount();
        var declarations = declarationCount == 0 ? [] : new LocalDeclaration[declarationCount];
        long total = 0;
        for (int i = 0; i < declarationCount; i++)
        {
            int declarationOffset = reader.Position;
            uint localCount = reader.ReadVarUInt32();
            total += localCount;
            if (total > MaxLocals) throw reader.ErrorAt(declarationOffset, $"too many locals (more than {MaxLocals})");
            declarations[i] = new LocalDeclaration((int)localCount, reader.ReadValueType());
        }

        int codeOffset = reader.Position;
        _scanner.ScanExpression(ref reader);
        if (!reader.AtEnd) throw reader.Error("section size mismatch (the function body continues after its final end)");
        return new FunctionBody(start, declarations, (int)total, codeOffset, reader.Position - codeOffset);
    }
}
