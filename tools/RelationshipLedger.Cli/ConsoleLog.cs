using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace RelationshipLedger.Cli;

/// <summary>
/// Log lines on standard error for long-running commands (<c>ledger daemon</c>): time, level, message,
/// and for a failure its exception's type and message (the stack trace only at Debug).
/// </summary>
internal sealed class ConsoleLog(LogLevel minimum) : ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("The console log writes every category itself.");

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter
    )
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
            return;
        var color = logLevel switch
        {
            >= LogLevel.Error => "red",
            LogLevel.Warning => "yellow",
            _ => "grey",
        };
        var line =
            $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} [{color}]{Label(logLevel)}[/] {Markup.Escape(formatter(state, exception))}";
        if (exception is not null)
            line +=
                minimum <= LogLevel.Debug
                    ? $"\n{Markup.Escape(exception.ToString())}"
                    : $" ({Markup.Escape(exception.GetType().Name)}: {Markup.Escape(exception.Message)})";
        Output.Errors.MarkupLine(line);
    }

    public void Dispose() { }

    private static string Label(LogLevel level) =>
        level switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info ",
            LogLevel.Warning => "warn ",
            LogLevel.Error => "error",
            _ => "fatal",
        };
}
