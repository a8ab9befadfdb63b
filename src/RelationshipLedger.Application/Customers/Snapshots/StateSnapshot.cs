using System.Text.Json;
using System.Text.Json.Serialization;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Customers.Snapshots;

/// <summary>A stored snapshot read back: the state, and the stage at its latest business instant when the format carries it.</summary>
public sealed record StoredSnapshot(CustomerState State, StageMark? Stage, string? StageRulesVersion);

/// <summary>
/// How a folded <see cref="CustomerState"/> is stored. The format changes whenever the state's shape or
/// <c>Evolve</c> changes, which makes every stored snapshot of the old format stale: they are then
/// ignored and the state is folded from the events again.
/// <para>
/// <see cref="Format"/> (v3) is <see cref="CompactState"/>'s binary form in the <c>state_bytes</c> column,
/// followed by the stage at the state's latest business instant and the rules version that evaluated it,
/// so a time-travel read continues the stage from there instead of replaying the history.
/// <see cref="Base64Format"/> (v2, the same bytes base64 in a jsonb string) and <see cref="JsonFormat"/>
/// (v1, the state as JSON) are still read from the <c>state</c> column, never written.
/// </para>
/// </summary>
public static class StateSnapshot
{
    public const string Format = "customer-state-v3";

    public const string Base64Format = "customer-state-v2";

    public const string JsonFormat = "customer-state-v1";

    /// <summary>The formats a snapshot may be read from.</summary>
    public static readonly string[] ReadableFormats = [Format, Base64Format, JsonFormat];

    /// <summary>A snapshot is kept at every multiple of this version.</summary>
    public const long Interval = 100;

    /// <summary>The columns of <c>ledger.customer_snapshots</c> that <see cref="Read"/> decodes, in its order.</summary>
    public const string Columns = "version, state_format, state, state_bytes";

    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The state as JSON (format v1): what tests compare states by.</summary>
    public static string Serialize(CustomerState state) => JsonSerializer.Serialize(state, Options);

    public static CustomerState Deserialize(string json) =>
        JsonSerializer.Deserialize<CustomerState>(json, Options)
        ?? throw new JsonException("A stored customer state is null.");

    /// <summary>The <c>state_bytes</c> of a v3 snapshot of <paramref name="state"/> with the stage at its latest instant.</summary>
    public static byte[] Encode(CustomerState state, StageMark stage, string rulesVersion)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            CompactState.Write(writer, state);
            CompactState.WriteMark(writer, stage);
            writer.Write(rulesVersion);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// A stored snapshot of <paramref name="format"/> (one of <see cref="ReadableFormats"/>): from
    /// <paramref name="bytes"/> for v3, else from the jsonb text <paramref name="json"/>.
    /// </summary>
    public static StoredSnapshot Decode(string format, string? json, byte[]? bytes) =>
        format switch
        {
            Format => DecodeCompact(bytes ?? throw new JsonException("A v3 customer snapshot has no state bytes.")),
            Base64Format => DecodeCompact(FromJsonString(json)),
            JsonFormat => new StoredSnapshot(
                Deserialize(json ?? throw new JsonException("A v1 customer snapshot has no state.")),
                null,
                null
            ),
            _ => throw new ArgumentException($"Snapshots of format '{format}' cannot be read.", nameof(format)),
        };

    /// <summary>The snapshot in the row at the reader's position (<see cref="Columns"/>).</summary>
    public static StoredSnapshot Read(System.Data.Common.DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Decode(
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3)
        );
    }

    private static StoredSnapshot DecodeCompact(byte[] bytes)
    {
        var reader = new CompactReader(bytes);
        var state = CompactState.Read(reader);
        var stage = CompactState.ReadMark(reader);
        return new StoredSnapshot(state, stage, reader.ReadString());
    }

    /// <summary>The bytes of a v2 snapshot: jsonb renders a string without escapes in quotes, and base64 has nothing to escape.</summary>
    private static byte[] FromJsonString(string? stored)
    {
        if (stored is null || stored.Length < 2 || stored[0] != '"' || stored[^1] != '"')
            throw new JsonException("A stored v2 customer snapshot is not a JSON string.");
        return Convert.FromBase64String(stored[1..^1]);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
