namespace RelationshipLedger.Cli;

/// <summary>What the <c>ledger</c> command's exit code means, the same for every subcommand.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and found a problem it checks for (a broken hash chain).</summary>
    public const int CheckFailed = 1;

    /// <summary>The command line or its input was wrong: unknown option, bad instant, bad connection string, missing file.</summary>
    public const int Usage = 2;

    /// <summary>The command could not do its work: the database was unreachable or refused.</summary>
    public const int Failure = 3;

    /// <summary>
    /// The customer (stream) asked about is not in the log, or did not exist at the instant asked about; the API key
    /// to revoke does not exist or is already revoked.
    /// </summary>
    public const int NotFound = 4;

    /// <summary>Interrupted (Ctrl+C), as shells report a SIGINT.</summary>
    public const int Cancelled = 130;
}
