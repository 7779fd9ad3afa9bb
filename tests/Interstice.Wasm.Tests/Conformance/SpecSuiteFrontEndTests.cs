using System.Text;
using Interstice.Cli.Commands.Wasm.Spec;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Validation;
using Xunit.Abstractions;

namespace Interstice.Wasm.Tests.Conformance;

/// <summary>
/// Runs the decoder and the validator over every module of the official spec test suite: modules
/// must decode and validate, <c>assert_malformed</c> modules must be rejected by the decoder,
/// <c>assert_invalid</c> modules by the validator, and modules of <c>assert_unlinkable</c> and
/// <c>assert_uninstantiable</c> must decode and validate (their failure comes later). Text-format
/// modules are counted as skipped. Whether each rejection's reason starts with the
/// suite's expected text is counted and printed, not asserted.
/// </summary>
public sealed class SpecSuiteFrontEndTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryBinaryModuleOfTheSuiteIsDecodedAndValidatedAsTheSuiteExpects()
    {
        var tally = new Tally();
        foreach (string path in SpecTestSuite.Scripts)
        {
            var script = SpecScript.Load(path);
            foreach (var command in script.Commands)
            {
                switch (command)
                {
                    case ModuleCommand module:
                        tally.ExpectAccepted(script, command.Line, module.FileName, module.ModuleType, "module");
                        break;
                    case AssertUnlinkableCommand or AssertUninstantiableCommand:
                        var assertion = (ModuleAssertion)command;
                        tally.ExpectAccepted(script, command.Line, assertion.FileName, assertion.ModuleType, "module of an assert_unlinkable/uninstantiable");
                        break;
                    case AssertMalformedCommand malformed:
                        tally.ExpectMalformed(script, malformed);
                        break;
                    case AssertInvalidCommand invalid:
                        tally.ExpectInvalid(script, invalid);
                        break;
                }
            }
        }

        output.WriteLine(tally.Summary());
        Assert.True(tally.Failures.Count == 0, $"{tally.Failures.Count} failures:\n{string.Join('\n', tally.Failures.Take(50))}");
    }

    private sealed class Tally
    {
        public int Passed, SkippedText, ReasonChecks, ReasonMatches;
        public readonly List<string> Failures = [];
        public readonly List<string> ReasonMismatches = [];

        public void ExpectAccepted(SpecScript script, int line, string fileName, SpecModuleType type, string what)
        {
            if (type == SpecModuleType.Text)
            {
                SkippedText++;
                return;
            }
            try
            {
                ModuleValidator.Validate(ModuleDecoder.Decode(File.ReadAllBytes(script.GetModulePath(fileName))));
                Passed++;
            }
            catch (Exception e)
            {
                Failures.Add($"{script.SourceFileName}:{line} ({fileName}): {what} rejected: {e.GetType().Name}: {e.Message}");
            }
        }

        public void ExpectMalformed(SpecScript script, AssertMalformedCommand command)
        {
            if (command.ModuleType == SpecModuleType.Text)
            {
                SkippedText++;
                return;
            }
            try
            {
                ModuleDecoder.Decode(File.ReadAllBytes(script.GetModulePath(command.FileName)));
                Failures.Add($"{script.SourceFileName}:{command.Line} ({command.FileName}): malformed module decoded (expected \"{command.Text}\")");
            }
            catch (MalformedModuleException e)
            {
                Passed++;
                CheckReason(script, command, e.Reason);
            }
            catch (Exception e)
            {
                Failures.Add($"{script.SourceFileName}:{command.Line} ({command.FileName}): expected malformed \"{command.Text}\", got {e.GetType().Name}: {e.Message}");
            }
        }

        public void ExpectInvalid(SpecScript script, AssertInvalidCommand command)
        {
            if (command.ModuleType == SpecModuleType.Text)
            {
                SkippedText++;
                return;
            }
            try
            {
                var module = ModuleDecoder.Decode(File.ReadAllBytes(script.GetModulePath(command.FileName)));
                ModuleValidator.Validate(module);
                Failures.Add($"{script.SourceFileName}:{command.Line} ({command.FileName}): invalid module validated (expected \"{command.Text}\")");
            }
            catch (InvalidModuleException e)
            {
                Passed++;
                CheckReason(script, command, e.Reason);
            }
            catch (Exception e)
            {
                Failures.Add($"{script.SourceFileName}:{command.Line} ({command.FileName}): expected invalid \"{command.Text}\", got {e.GetType().Name}: {e.Message}");
            }
        }

        private void CheckReason(SpecScript script, ModuleAssertion command, string reason)
        {
            ReasonChecks++;
            if (reason.StartsWith(command.Text, StringComparison.Ordinal)) ReasonMatches++;
            else ReasonMismatches.Add($"{script.SourceFileName}:{command.Line}: expected \"{command.Text}\", reported \"{reason}\"");
        }

        public string Summary()
        {
            var sb = new StringBuilder();
            sb.AppendLine($"spec suite front end: {Passed} passed, {Failures.Count} failed, {SkippedText} skipped (text format)");
            sb.AppendLine($"rejection reasons matching the suite's text: {ReasonMatches} of {ReasonChecks}");
            foreach (string mismatch in ReasonMismatches) sb.AppendLine("  reason differs: " + mismatch);
            return sb.ToString();
        }
    }
}
