using System.Text.Json;
using System.Text.Json.Serialization;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Application.Customers.Snapshots;

/// <summary>
/// How a folded <see cref="CustomerState"/> is stored. <see cref="Format"/> changes whenever the
/// state's shape or <c>Evolve</c> changes, which makes every stored snapshot stale: they are then
/// ignored and the state is folded from the events again.
/// </summary>
public static class StateSnapshot
{
    public const string Format = "customer-state-v1";

    /// <summary>A snapshot is kept at every multiple of this version.</summary>
    public const long Interval = 100;

    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(CustomerState state) => JsonSerializer.Serialize(state, Options);

    public static CustomerState Deserialize(string json) =>
        JsonSerializer.Deserialize<CustomerState>(json, Options)
        ?? throw new JsonException("A stored customer state is null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
