namespace RelationshipLedger.LocalPostgres;

/// <summary>How a private cluster is laid out and tuned.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>
    /// The ledger's data directory: it holds the generated superuser password and, when the
    /// PostgreSQL account can reach it, the cluster itself (in <c>postgres/</c>).
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// True (the default) keeps PostgreSQL's crash-safe settings. False turns fsync and full-page
    /// writes off for throwaway test clusters; commits still reach the operating system before
    /// they are acknowledged, so a crash of PostgreSQL alone loses nothing.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>Remove <see cref="DataDirectory"/> when the cluster stops.</summary>
    public bool DeleteOnStop { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    private const string TemporaryPrefix = "relationship-ledger-temporary-";

    // /tmp rather than $TMPDIR: every parent must be traversable by the postgres account.
    private static string TemporaryRoot => OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp";

    /// <summary>
    /// Creates options for a cluster in a new temporary directory, removed when it stops. First
    /// removes temporary clusters that an earlier, killed process left behind.
    /// </summary>
    public static LocalClusterOptions Temporary()
    {
        RemoveAbandonedTemporaryClusters();
        return new()
        {
            DataDirectory = Path.Combine(TemporaryRoot, $"{TemporaryPrefix}{Guid.NewGuid():N}"),
            Durable = false,
            DeleteOnStop = true,
        };
    }

    /// <summary>Temporary clusters older than a few minutes whose server is not running belong to nobody.</summary>
    private static void RemoveAbandonedTemporaryClusters()
    {
        var abandonedBefore = DateTime.UtcNow - TimeSpan.FromMinutes(5);
        foreach (var directory in Directory.EnumerateDirectories(TemporaryRoot, TemporaryPrefix + "*"))
        {
            var pidFile = Path.Combine(directory, "postgres", "data", "postmaster.pid");
            if (Directory.GetCreationTimeUtc(directory) > abandonedBefore || File.Exists(pidFile))
                continue;
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Another process is removing it too, or a file is busy: it will be swept next time.
            }
            catch (UnauthorizedAccessException)
            {
                // Left by another user: theirs to remove.
            }
        }
    }
}
