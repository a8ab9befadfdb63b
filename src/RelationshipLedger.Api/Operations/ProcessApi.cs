using System.Diagnostics;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.EventStore.Daemon;

namespace RelationshipLedger.Api.Operations;

/// <summary>
/// This API process's memory and garbage collections, as <c>GET /admin/process</c> reports them; the GC heap
/// is its size after the last collection (steadier than the allocated bytes of the moment);
/// <c>StateCacheEvents</c> the events the cached customer heads fold (bounded by <c>Ledger:StateCache:Events</c>);
/// <c>StateHistoryKeptEvents</c> the events the state history's daemon keeps folded (at most 2 × 250,000,
/// docs/portfolio.md; 0 on a node whose daemon does not run that projection);
/// <c>AbcFacts</c> the revenue facts the ABC classification holds in memory (0 until the first ABC question;
/// about 28 bytes each, docs/abc.md);
/// <c>LiveHeapBytes</c>, only when asked for with <c>fullCollection=true</c>, what the heap holds after a
/// full, blocking collection: what the process really keeps, without the garbage the collector has not
/// yet come for.
/// </summary>
public sealed record ProcessAnswer(
    int ProcessId,
    double UptimeSeconds,
    long WorkingSetBytes,
    long GcHeapBytes,
    long GcCommittedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    int Threads,
    long StateCacheEvents,
    long StateHistoryKeptEvents,
    long AbcFacts,
    long? LiveHeapBytes
);

/// <summary>
/// <c>GET /admin/process</c> (role <c>admin</c>): the resident set and the managed heap of the process
/// that answers, so a monitor (or <c>ledger bench load</c>) can tell whether memory stays flat.
/// </summary>
public static class ProcessApi
{
    public static IEndpointRouteBuilder MapProcessApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapGet("/admin/process", GetProcess)
            .RequireAuthorization(Roles.Admin)
            .WithTags("Operations")
            .WithName("GetProcess")
            .WithSummary(
                "This API process: working set, managed heap, garbage collections, threads, uptime; "
                    + "with fullCollection=true also the live heap after a full collection (pauses the process briefly)."
            )
            .Produces<ProcessAnswer>();
        return endpoints;
    }

    private static ProcessAnswer GetProcess(
        CustomerStateCache cache,
        AbcRevenueMirror abc,
        ProjectionDaemon daemon,
        bool fullCollection = false
    )
    {
        long? liveHeap = fullCollection ? GC.GetTotalMemory(forceFullCollection: true) : null;
        using var process = Process.GetCurrentProcess();
        var memory = GC.GetGCMemoryInfo();
        return new ProcessAnswer(
            process.Id,
            (DateTime.Now - process.StartTime).TotalSeconds,
            process.WorkingSet64,
            memory.HeapSizeBytes,
            memory.TotalCommittedBytes,
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            process.Threads.Count,
            cache.HeadEvents,
            daemon.Projections.OfType<StateHistoryProjection>().Sum(p => p.KeptEvents),
            abc.FactCount,
            liveHeap
        );
    }
}
