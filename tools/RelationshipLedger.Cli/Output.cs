using Spectre.Console;

namespace RelationshipLedger.Cli;

/// <summary>
/// Where the CLI writes: results to standard output, errors to standard error. Redirected to a file or
/// a pipe, each writes plain text without colors or animations, in lines that are not wrapped.
/// </summary>
internal static class Output
{
    private const int RedirectedWidth = 240;

    public static IAnsiConsole Results { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Errors { get; } = Create(Console.Error, Console.IsErrorRedirected);

    public static void Error(string message) => Errors.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            }
        );
        if (redirected)
            console.Profile.Width = RedirectedWidth;
        return console;
    }
}
