using RelationshipLedger.Application.Customers.Caching;

namespace RelationshipLedger.Api.Hosting;

/// <summary>
/// The bounds of the process's cache of folded customer states (section <c>Ledger:StateCache</c>):
/// <c>Customers</c>, the most customers (and snapshots) kept, and <c>Events</c>, the most events their
/// states fold in all — what bounds the memory (a few hundred bytes per event).
/// </summary>
public sealed record StateCacheSettings(int Customers, long Events)
{
    public const string Section = "Ledger:StateCache";

    public static StateCacheSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var settings = new StateCacheSettings(
            section.GetValue("Customers", CustomerStateCache.DefaultCapacity),
            section.GetValue("Events", CustomerStateCache.DefaultMaxEvents)
        );
        if (settings.Customers < 0 || settings.Events < 0)
            throw new InvalidOperationException($"{Section}: Customers and Events are 0 or more (0 keeps nothing).");
        return settings;
    }
}
