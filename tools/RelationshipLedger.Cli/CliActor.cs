namespace RelationshipLedger.Cli;

/// <summary>Who the CLI records as the actor of what it appends: the operating-system user, marked as the CLI.</summary>
internal static class CliActor
{
    public static string Name { get; } = $"cli:{Environment.UserName}";
}
