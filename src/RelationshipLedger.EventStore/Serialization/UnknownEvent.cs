using System.Text.Json;

namespace RelationshipLedger.EventStore.Serialization;

/// <summary>An event whose type name this process does not know: still readable, as raw JSON.</summary>
public sealed record UnknownEvent(string Type, JsonElement Data);
