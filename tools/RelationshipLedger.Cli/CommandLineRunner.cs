using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Npgsql;
using RelationshipLedger.LocalPostgres;
using Spectre.Console;

namespace RelationshipLedger.Cli;

/// <summary>
/// Parses the command line and runs the chosen command. Every failure ends as a one-paragraph
/// message on standard error and an <see cref="ExitCodes"/> value, never as a stack trace.
/// </summary>
internal static class CommandLineRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
                Output.Error(error.Message);
            Output.Errors.MarkupLine(
                $"Run '[bold]{CommandPath(parseResult.CommandResult)} --help[/]' to see what it accepts."
            );
            return ExitCodes.Usage;
        }
        using var cancellation = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(
            PosixSignal.SIGINT,
            context => Cancel(context, cancellation)
        );
        using var terminate = PosixSignalRegistration.Create(
            PosixSignal.SIGTERM,
            context => Cancel(context, cancellation)
        );
        try
        {
            // The command, not System.CommandLine, ends the process on a signal, once it has cleaned up
            // (a throwaway cluster discarded, an embedded server stopped).
            var invocation = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parseResult.InvokeAsync(invocation, cancellation.Token);
        }
        catch (UsageException exception)
        {
            Output.Error(exception.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Output.Error("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception exception)
        {
            Output.Error(Describe(exception));
            return ExitCodes.Failure;
        }
    }

    /// <summary>The first signal asks the command to stop and clean up; a second one ends the process at once.</summary>
    private static void Cancel(PosixSignalContext context, CancellationTokenSource cancellation)
    {
        if (cancellation.IsCancellationRequested)
            return;
        context.Cancel = true;
        cancellation.Cancel();
    }

    /// <summary>What went wrong, in the user's terms; any exception gets at least its type and message.</summary>
    private static string Describe(Exception exception) =>
        exception switch
        {
            PostgresException
            {
                SqlState: PostgresErrorCodes.UndefinedTable
                    or PostgresErrorCodes.UndefinedFunction
                    or PostgresErrorCodes.InvalidSchemaName
            } missing => $"The database has no ledger schema ({missing.MessageText}). Run 'ledger migrate' first.",
            PostgresException refused => $"PostgreSQL refused: {refused.MessageText} (SQLSTATE {refused.SqlState}).",
            NpgsqlException unreachable => $"Could not talk to PostgreSQL: {unreachable.Message}"
                + (unreachable.InnerException is { } cause ? $" ({cause.Message})" : ""),
            LocalPostgresException cluster => $"The embedded PostgreSQL cluster could not be used: {cluster.Message}",
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };

    private static string CommandPath(CommandResult result) =>
        result.Parent is CommandResult parent ? $"{CommandPath(parent)} {result.Command.Name}" : "ledger";
}
