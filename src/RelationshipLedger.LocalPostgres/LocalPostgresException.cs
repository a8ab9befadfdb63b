namespace RelationshipLedger.LocalPostgres;

/// <summary>The embedded cluster could not be found, created, started or stopped; the message says what to do.</summary>
public sealed class LocalPostgresException : Exception
{
    public LocalPostgresException() { }

    public LocalPostgresException(string message)
        : base(message) { }

    public LocalPostgresException(string message, Exception innerException)
        : base(message, innerException) { }
}
