using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.Application.Import;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Cli;

/// <summary>
/// The application layer over a command's database, wired as the API wires it
/// (<see cref="LedgerServices.CreateStore"/>), so what the CLI appends keeps the inline read models current.
/// </summary>
internal sealed class LedgerApplication
{
    public LedgerApplication(LedgerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rules = LifecycleRules.Default;
        var cache = new CustomerStateCache();
        Store = LedgerServices.CreateStore(connection.DataSource, rules, cache);
        Loader = new CustomerStateLoader(Store, cache);
        Handler = new CustomerCommandHandler(Store, Loader);
        Queries = new CustomerQueries(Loader, rules, TimeProvider.System);
        Timeline = new CustomerTimeline(Store, rules);
        Corrections = new CorrectionReport(Store, rules);
        Importer = new CustomerImporter(Store, Loader, TimeProvider.System);
        Exporter = new EventExporter(Store);
    }

    public EventStore.EventStore Store { get; }

    public CustomerStateLoader Loader { get; }

    public CustomerCommandHandler Handler { get; }

    public CustomerQueries Queries { get; }

    public CustomerTimeline Timeline { get; }

    public CorrectionReport Corrections { get; }

    public CustomerImporter Importer { get; }

    public EventExporter Exporter { get; }
}
