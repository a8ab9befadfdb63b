namespace RelationshipLedger.Cli;

/// <summary>The user asked for something that cannot be done as asked; the message tells them what to change.</summary>
internal sealed class UsageException : Exception
{
    public UsageException() { }

    public UsageException(string message)
        : base(message) { }

    public UsageException(string message, Exception innerException)
        : base(message, innerException) { }
}
