namespace RelationshipLedger.Cli.Tests.Support;

/// <summary>How a run of the ledger command ended: its exit code and everything it wrote.</summary>
public sealed record CliResult(string CommandLine, int ExitCode, string Output, string Errors)
{
    /// <summary>Asserts the exit code; a failure shows the command line and both outputs, as do the other assertions.</summary>
    public CliResult AssertExitCode(int expected)
    {
        Assert.True(ExitCode == expected, $"Expected exit code {expected} but got {ExitCode}.\n{this}");
        return this;
    }

    public CliResult AssertOutputContains(string expected)
    {
        Assert.True(
            Output.Contains(expected, StringComparison.Ordinal),
            $"Expected standard output to contain \"{expected}\".\n{this}"
        );
        return this;
    }

    public CliResult AssertErrorsContain(string expected)
    {
        Assert.True(
            Errors.Contains(expected, StringComparison.Ordinal),
            $"Expected standard error to contain \"{expected}\".\n{this}"
        );
        return this;
    }

    /// <summary>The command said what was wrong in a sentence, not with a stack trace.</summary>
    public CliResult AssertNoStackTrace()
    {
        Assert.False(
            Errors.Contains("   at ", StringComparison.Ordinal) || Output.Contains("   at ", StringComparison.Ordinal),
            $"Expected no stack trace.\n{this}"
        );
        return this;
    }

    public override string ToString() =>
        $"$ {CommandLine}\nexit code {ExitCode}\n--- standard output\n{Output}--- standard error\n{Errors}";
}
