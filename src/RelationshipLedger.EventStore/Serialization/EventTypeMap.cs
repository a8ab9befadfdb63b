using System.Text.Json.Nodes;

namespace RelationshipLedger.EventStore.Serialization;

/// <summary>
/// The stable names events are stored under, and upcasters that turn an old payload shape into the
/// current one. Names are explicit: renaming a class never renames stored events.
/// </summary>
public sealed class EventTypeMap
{
    private readonly Dictionary<Type, string> _namesByType = [];
    private readonly Dictionary<string, Type> _typesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Upcaster> _upcasters = new(StringComparer.Ordinal);

    private sealed record Upcaster(string ToType, Func<JsonObject, JsonObject> Upcast);

    /// <summary>Stores <typeparamref name="TEvent"/> under <paramref name="name"/>.</summary>
    public EventTypeMap Register<TEvent>(string name) => Register(typeof(TEvent), name);

    public EventTypeMap Register(Type type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_typesByName.TryGetValue(name, out var existing) && existing != type)
            throw new InvalidOperationException($"Event type name '{name}' is already used by {existing.Name}.");
        if (_upcasters.ContainsKey(name))
            throw new InvalidOperationException($"Event type name '{name}' is an old name with an upcaster.");
        _namesByType[type] = name;
        _typesByName[name] = type;
        return this;
    }

    /// <summary>
    /// Reads stored events named <paramref name="fromType"/> as <paramref name="toType"/> after
    /// <paramref name="upcast"/> reshapes the payload. Upcasters chain (v1 → v2 → v3).
    /// </summary>
    public EventTypeMap RegisterUpcaster(string fromType, string toType, Func<JsonObject, JsonObject> upcast)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fromType);
        ArgumentException.ThrowIfNullOrWhiteSpace(toType);
        ArgumentNullException.ThrowIfNull(upcast);
        if (_typesByName.ContainsKey(fromType))
            throw new InvalidOperationException($"'{fromType}' is a current event type and cannot also be upcast.");
        _upcasters[fromType] = new Upcaster(toType, upcast);
        return this;
    }

    public string NameOf(Type type) =>
        _namesByType.TryGetValue(type, out var name)
            ? name
            : throw new InvalidOperationException(
                $"{type.Name} is not a registered event type; register it with EventTypeMap.Register<{type.Name}>(\"name\")."
            );

    public Type? TypeOf(string name) => _typesByName.GetValueOrDefault(name);

    /// <summary>Applies the upcasters of <paramref name="type"/>, returning the current name and payload.</summary>
    internal (string Type, JsonObject Payload)? Upcast(string type, Func<JsonObject> payload)
    {
        if (!_upcasters.ContainsKey(type))
            return null;
        var current = payload();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (_upcasters.TryGetValue(type, out var upcaster))
        {
            if (!seen.Add(type))
                throw new InvalidOperationException($"The upcasters of '{type}' form a cycle.");
            current = upcaster.Upcast(current);
            type = upcaster.ToType;
        }
        return (type, current);
    }
}
