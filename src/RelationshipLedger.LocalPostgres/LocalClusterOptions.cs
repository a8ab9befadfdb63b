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

    /// <summary>Creates options for a cluster in a new temporary directory, removed when it stops.</summary>
    public static LocalClusterOptions Temporary(string purpose = "tests") =>
        new()
        {
            // /tmp rather than $TMPDIR: every parent must be traversable by the postgres account.
            DataDirectory = Path.Combine(
                OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp",
                $"relationship-ledger-{purpose}-{Guid.NewGuid():N}"
            ),
            Durable = false,
            DeleteOnStop = true,
        };
}
