using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Application.ChurnWatch;

/// <summary>What one evaluation of every customer found and did, as of <see cref="AsOf"/>.</summary>
public sealed record ChurnWatchRun(
    DateTimeOffset AsOf,
    int Evaluated,
    IReadOnlyList<ChurnFlagRaised> Flagged,
    int AlreadyFlagged,
    IReadOnlyList<ChurnWatchRefusal> Refused
);

/// <summary>A <c>ChurnRiskFlagged</c> the run appended: the customer, its signals and the stream's new version.</summary>
public sealed record ChurnFlagRaised(string CustomerId, IReadOnlyList<ChurnSignal> Signals, long Version);

/// <summary>A customer whose signals hold but whose flag the ledger refused (or kept losing races for).</summary>
public sealed record ChurnWatchRefusal(string CustomerId, string Code, string Message);
