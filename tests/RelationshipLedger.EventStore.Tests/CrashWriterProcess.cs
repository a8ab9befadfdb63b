using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace RelationshipLedger.EventStore.Tests;

/// <summary>One line of the crash writer: a committed append of <see cref="EventIds"/>, the last at <see cref="Version"/>.</summary>
public sealed record Acknowledgement(string StreamId, long Version, IReadOnlyList<Guid> EventIds)
{
    /// <summary>Each acknowledged event with the version it was acknowledged at.</summary>
    public IEnumerable<(Guid EventId, long Version)> Events =>
        EventIds.Select((id, i) => (id, Version - EventIds.Count + 1 + i));

    public static Acknowledgement Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Split(' ') is not ["ack", var streamId, var version, .. var eventIds] || eventIds.Length == 0)
            throw new FormatException($"Not an acknowledgement: '{line}'.");
        return new Acknowledgement(
            streamId,
            long.Parse(version, CultureInfo.InvariantCulture),
            [.. eventIds.Select(Guid.Parse)]
        );
    }
}

/// <summary>
/// tests/RelationshipLedger.CrashWriter running as a child process (its dll is copied beside the
/// tests), with the acknowledgements it has printed so far.
/// </summary>
public sealed class CrashWriterProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task _readingAcknowledgements;
    private readonly Task<string> _standardError;
    private readonly Lock _lock = new();
    private readonly List<Acknowledgement> _acknowledged = [];

    private CrashWriterProcess(Process process)
    {
        _process = process;
        _standardError = process.StandardError.ReadToEndAsync();
        _readingAcknowledgements = ReadAcknowledgementsAsync();
    }

    public static CrashWriterProcess Start(string connectionString, int streams)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var startInfo = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "RelationshipLedger.CrashWriter.dll"),
                connectionString,
                streams.ToString(CultureInfo.InvariantCulture),
            },
        };
        return new CrashWriterProcess(
            Process.Start(startInfo) ?? throw new InvalidOperationException("The crash writer did not start.")
        );
    }

    public int AcknowledgedCount
    {
        get
        {
            lock (_lock)
                return _acknowledged.Count;
        }
    }

    /// <summary>Whether it has acknowledged <paramref name="count"/> appends; throws with its error output if it died first.</summary>
    public async Task<bool> HasAcknowledgedAsync(int count)
    {
        if (_process.HasExited)
            throw new InvalidOperationException(
                $"The crash writer exited with {_process.ExitCode}: {await _standardError}"
            );
        return AcknowledgedCount >= count;
    }

    /// <summary>Kills it with SIGKILL, then returns every acknowledgement it had printed in full.</summary>
    public async Task<IReadOnlyList<Acknowledgement>> KillAsync(CancellationToken cancellationToken = default)
    {
        _process.Kill();
        await _process.WaitForExitAsync(cancellationToken);
        await _readingAcknowledgements.WaitAsync(cancellationToken);
        lock (_lock)
            return [.. _acknowledged];
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }

    private async Task ReadAcknowledgementsAsync()
    {
        var buffer = new char[4096];
        var line = new StringBuilder();
        int read;
        while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            foreach (var character in buffer.AsSpan(0, read))
            {
                if (character != '\n')
                {
                    line.Append(character);
                    continue;
                }
                var acknowledgement = Acknowledgement.Parse(line.ToString());
                line.Clear();
                lock (_lock)
                    _acknowledged.Add(acknowledgement);
            }
        }
        // Whatever follows the last newline was cut short by the kill: it acknowledges nothing.
    }
}
