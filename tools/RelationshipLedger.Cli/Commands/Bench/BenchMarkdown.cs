using System.Globalization;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>The parts every benchmark's Markdown block shares: its heading, the machine and load lines, and how it is printed.</summary>
internal static class BenchMarkdown
{
    public const string BenchmarksDoc = "docs/benchmarks.md";

    /// <summary>The run's heading: durability, where it ran, and when.</summary>
    public static string Heading(MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"#### fsync {machine.Fsync}: {machine.Where} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)"
        );
    }

    /// <summary>The client's cores, processor and runtime, and the server's version: "2 cores, AMD EPYC; .NET 10; server PostgreSQL 15.18 (…)".</summary>
    public static string ClientAndServer(MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return $"{machine.Cores} cores, {machine.Processor}; {machine.Runtime}; server {machine.ServerVersion.Split(" on ")[0]}";
    }

    /// <summary>
    /// The machine's load over the run, so a reader can tell a quiet run from a shared one (the figures
    /// say which it was; the text does not guess).
    /// </summary>
    public static string Load(MachineInfo machine, string? atEnd)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return $"load average {machine.LoadAverage ?? "n/a"} at start, {atEnd ?? "n/a"} at end";
    }

    /// <summary>Prints <paramref name="markdown"/> under a rule naming the document it is for.</summary>
    public static void Print(string markdown, string document = BenchmarksDoc)
    {
        Output.Results.WriteLine();
        Output.Results.Write(new Rule($"Markdown for {document}").LeftJustified());
        Console.Out.Write(markdown);
    }
}
