using RelationshipLedger.Application.Erasure;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application;

/// <summary>The stored names of every event the ledger writes, and the serializer that uses them.</summary>
public static class LedgerEventTypes
{
    /// <summary>Every name the ledger stores events under.</summary>
    public static IReadOnlySet<string> Names { get; } =
        CustomerEvent.TypeNames.Values.ToHashSet(StringComparer.Ordinal);

    public static EventTypeMap CreateMap()
    {
        var map = new EventTypeMap();
        foreach (var (type, name) in CustomerEvent.TypeNames)
            map.Register(type, name);
        return map;
    }

    /// <summary>The ledger's serializer: its event names, and the personal fields it protects (<see cref="PersonalFields"/>).</summary>
    public static EventSerializer CreateSerializer() => new(CreateMap(), protection: PersonalFields.CreateProtection());
}
