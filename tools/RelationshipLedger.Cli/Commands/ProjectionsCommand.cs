using System.CommandLine;
using RelationshipLedger.Application;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger projections list|status NAME|rebuild NAME</c>: the asynchronous read models, one in
/// detail with its live content hash, and a blue/green rebuild with a progress bar (docs/rebuilds.md).
/// </summary>
internal static class ProjectionsCommand
{
    public static Command Create()
    {
        var command = new Command(
            "projections",
            "The asynchronous read models: list them, show one with its content hash, rebuild one without downtime."
        )
        {
            ProjectionsListCommand.Create(),
            ProjectionsStatusCommand.Create(),
            ProjectionsRebuildCommand.Create(),
        };
        return command;
    }

    public static Argument<string> NameArgument(string description) =>
        new("name") { Description = description, HelpName = "name" };

    /// <summary>The ledger's projection of that name; a usage error naming the known ones otherwise.</summary>
    public static IAsyncProjection Find(EventStore.EventStore store, string name)
    {
        var projections = LedgerServices.CreateAsyncProjections(store.Serializer);
        return projections.FirstOrDefault(p => p.Name == name)
            ?? throw new UsageException(
                $"There is no projection '{name}'. Known projections: {string.Join(", ", projections.Select(p => p.Name))}."
            );
    }
}
