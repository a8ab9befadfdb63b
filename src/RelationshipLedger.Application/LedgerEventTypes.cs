using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application;

/// <summary>The stored names of every event the ledger writes, and the serializer that uses them.</summary>
public static class LedgerEventTypes
{
    public static EventTypeMap CreateMap()
    {
        var map = new EventTypeMap();
        foreach (var (type, name) in CustomerEvent.TypeNames)
            map.Register(type, name);
        return map;
    }

    public static EventSerializer CreateSerializer() => new(CreateMap());
}
