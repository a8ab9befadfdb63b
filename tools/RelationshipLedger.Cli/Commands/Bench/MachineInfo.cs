using System.Runtime.InteropServices;
using Npgsql;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>What the figures depend on: the client machine, and the server's version and durability settings.</summary>
internal sealed record MachineInfo(
    int Cores,
    double MemoryGiB,
    string Processor,
    string OperatingSystem,
    string Runtime,
    string ServerVersion,
    string Fsync,
    string SynchronousCommit,
    string FullPageWrites,
    string SharedBuffers,
    string Where,
    string? LoadAverage
)
{
    /// <summary>The 1-, 5- and 15-minute load averages where the OS tells them (Linux), else null.</summary>
    public static string? ReadLoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        return File.Exists(loadAverage) ? string.Join(' ', File.ReadAllText(loadAverage).Split(' ').Take(3)) : null;
    }

    public static async Task<MachineInfo> CollectAsync(
        NpgsqlDataSource dataSource,
        string where,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            "select version(), current_setting('fsync'), current_setting('synchronous_commit'), "
                + "current_setting('full_page_writes'), current_setting('shared_buffers')"
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MachineInfo(
            Environment.ProcessorCount,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024),
            ProcessorName(),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            where,
            ReadLoadAverage()
        );
    }

    private static string ProcessorName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
            return RuntimeInformation.ProcessArchitecture.ToString();
        var modelName = File.ReadLines(cpuInfo)
            .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal));
        return modelName?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
