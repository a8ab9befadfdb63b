using System.Text.Json;
using System.Text.Json.Serialization;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Customers.Snapshots;

/// <summary>A stored snapshot read back: the state, and the stage at its latest business instant when the format carries it.</summary>
public sealed record StoredSnapshot(CustomerState State, StageMark? Stage, string? StageRulesVersion);

/// <summary>
/// How a folded <see cref="CustomerState"/> is stored. <see cref="Format"/> changes whenever the
/// state's shape or <c>Evolve</c> changes, which makes every stored snapshot of the old format stale:
/// they are then ignored and the state is folded from the events again.
/// <para>
/// <see cref="Format"/> (v2) is <see cref="CompactState"/>'s binary form, base64 in a JSON string (the
/// column is <c>jsonb</c>), followed by the stage at the state's latest business instant and the rules
/// version that evaluated it, so a time-travel read continues the stage from there instead of replaying
/// the history. <see cref="JsonFormat"/> (v1, the state as JSON) is still read, never written.
/// </para>
/// </summary>
public static class StateSnapshot
{
    public const string Format = "customer-state-v2";

    public const string JsonFormat = "customer-state-v1";

    /// <summary>The formats a snapshot may be read from, preferred first.</summary>
    public static readonly string[] ReadableFormats = [Format, JsonFormat];

    /// <summary>A snapshot is kept at every multiple of this version.</summary>
    public const long Interval = 100;

    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The state as JSON (format v1): what tests compare states by.</summary>
    public static string Serialize(CustomerState state) => JsonSerializer.Serialize(state, Options);

    public static CustomerState Deserialize(string json) =>
        JsonSerializer.Deserialize<CustomerState>(json, Options)
        ?? throw new JsonException("A stored customer state is null.");

    /// <summary>The jsonb text of a v2 snapshot of <paramref name="state"/> with the stage at its latest instant.</summary>
    public static string Encode(CustomerState state, StageMark stage, string rulesVersion)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            CompactState.Write(writer, state);
            CompactState.WriteMark(writer, stage);
            writer.Write(rulesVersion);
        }
        // Base64 needs no escaping in a JSON string: the quotes make it one.
        return "\"" + Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length) + "\"";
    }

    /// <summary>A stored snapshot of <paramref name="format"/> (one of <see cref="ReadableFormats"/>) from its jsonb text.</summary>
    public static StoredSnapshot Decode(string format, string stored)
    {
        if (format == JsonFormat)
            return new StoredSnapshot(Deserialize(stored), null, null);
        if (format != Format)
            throw new ArgumentException($"Snapshots of format '{format}' cannot be read.", nameof(format));
        // jsonb renders a string without escapes as the string in quotes, and base64 has nothing to escape.
        if (stored.Length < 2 || stored[0] != '"' || stored[^1] != '"')
            throw new JsonException("A stored customer snapshot is not a JSON string.");
        var bytes = Convert.FromBase64String(stored[1..^1]);
        using var reader = new BinaryReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
        var state = CompactState.Read(reader);
        var stage = CompactState.ReadMark(reader);
        return new StoredSnapshot(state, stage, reader.ReadString());
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
