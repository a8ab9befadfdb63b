using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RelationshipLedger.Api.Tests.Hostile;

/// <summary>One generated import: what its lines attack (for the failure message), its body, and how many lines it holds.</summary>
public sealed record HostileImport(int Number, IReadOnlyList<string> Attacks, byte[] Body, int Lines)
{
    public override string ToString()
    {
        var body = Encoding.UTF8.GetString(Body);
        if (body.Length > 400)
            body = $"{body[..400]}… ({Body.Length} bytes)";
        return $"#{Number} [{string.Join("; ", Attacks)}] {body}";
    }
}

/// <summary>
/// Generates NDJSON imports whose every line the ledger certainly refuses, from a seeded <see cref="Random"/>:
/// a line that is no JSON object, an unknown or missing line field, a bad customer id, type, instant or event
/// id, an event of a customer that does not exist, or a payload with a wrong, missing or unknown field — for
/// the payloads of the command routes (<see cref="CommandShape"/>) that have an event of the same fields. The
/// other text fields may carry hostile but well-formed text (<see cref="HostileRequests.HostileText"/>).
/// </summary>
public sealed class HostileImportLines(Random random, string customerId)
{
    /// <summary>The event each command route's body is the payload of (its fields less business time and reason).</summary>
    private static readonly (string Route, string Type)[] Payloads =
    [
        ("/customers/{customerId}/contacts", "ContactRecorded"),
        ("/customers/{customerId}/purchases", "PurchaseRecorded"),
        ("/customers/{customerId}/complaints", "ComplaintFiled"),
        ("/customers/{customerId}/surveys", "SatisfactionSurveyed"),
        ("/customers/{customerId}/care-tier", "CareTierAssigned"),
    ];

    private static readonly string[] BadCustomerIds =
    [
        new string('x', 65),
        new string('x', 100_000),
        "has space",
        "x' OR '1'='1",
        "ü",
        "semi;colon",
        "a/b",
        "\u202E",
        "a\u0000b",
        "",
    ];

    private static readonly string[] BadTypes =
    [
        "Purchase",
        "purchaserecorded",
        "PurchaseRecorded ",
        "",
        "CustomerEvent",
        "'; DROP TABLE ledger.events; --",
        "PersonalDataErased",
    ];

    private static readonly string[] BadLineValues = ["42", "true", "[]", "{}", "null"];

    private static readonly Func<HostileImportLines, (string Attack, byte[] Line)>[] Attacks =
    [
        g => g.WrongPayloadValue(),
        g => g.WrongPayloadValue(),
        g => g.MissingPayloadField(),
        g => g.UnknownPayloadField(),
        g => g.UnknownLineField(),
        g => g.MissingLineField(),
        g => g.BadCustomerId(),
        g => g.UnknownCustomer(),
        g => g.BadType(),
        g => g.BadOccurredAt(),
        g => g.BadEventId(),
        g => g.PayloadNotAnObject(),
        g => g.NotAJsonObject(),
        g => g.DeepJson(),
        g => g.InvalidUtf8(),
        g => g.RawControlCharacter(),
    ];

    private int _number;

    public IReadOnlyList<HostileImport> Generate(int count)
    {
        var imports = new List<HostileImport>(count);
        for (var i = 0; i < count; i++)
        {
            var lines = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Pick(Attacks)(this)).ToList();
            var body = lines.SelectMany(l =>
                l.Line.Concat(random.Next(4) == 0 ? "\n\n"u8.ToArray() : "\n"u8.ToArray())
            );
            imports.Add(new HostileImport(++_number, [.. lines.Select(l => l.Attack)], [.. body], lines.Count));
        }
        return imports;
    }

    /// <summary>A line the ledger accepts for the registered customer: a payload of <paramref name="shape"/> now.</summary>
    public static JsonObject ValidLine(string customerId, CommandShape shape, string type) =>
        new()
        {
            ["customerId"] = customerId,
            ["type"] = type,
            ["occurredAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["data"] = Payload(shape),
        };

    private (string, byte[]) WrongPayloadValue()
    {
        var (shape, line) = DecoratedLine();
        var field = Pick(PayloadFields(shape));
        var wrong = Pick(HostileRequests.WrongValues(field));
        line["data"]![field.Name] = wrong is null ? null : JsonNode.Parse(wrong);
        return ($"{line["type"]}: wrong {field.Kind} for {field.Name}: {Shorten(wrong ?? "null")}", Serialize(line));
    }

    private (string, byte[]) MissingPayloadField()
    {
        var (shape, line) = DecoratedLine();
        var data = (JsonObject)line["data"]!;
        var required = PayloadFields(shape).Where(f => f.Required).ToArray();
        if (required.Length == 0)
        {
            data.Clear();
            return ($"{line["type"]}: no field", Serialize(line));
        }
        var missing = Pick(required);
        data.Remove(missing.Name);
        return ($"{line["type"]}: missing {missing.Name}", Serialize(line));
    }

    private (string, byte[]) UnknownPayloadField()
    {
        var (_, line) = DecoratedLine();
        var name = Pick(["discount", "__proto__", "$type", "eventId", "customerId", "version", "Amount ", ""]);
        line["data"]![name] = Pick(HostileRequests.HostileText);
        return ($"{line["type"]}: unknown payload field '{name}'", Serialize(line));
    }

    private (string, byte[]) UnknownLineField()
    {
        var (_, line) = DecoratedLine();
        var name = Pick(["version", "actor", "recordedAt", "metadata", "hash", "__proto__", ""]);
        line[name] = Pick(HostileRequests.HostileText);
        return ($"unknown line field '{name}'", Serialize(line));
    }

    private (string, byte[]) MissingLineField()
    {
        var (_, line) = DecoratedLine();
        var name = Pick(["customerId", "type", "occurredAt", "data"]);
        line.Remove(name);
        return ($"missing {name}", Serialize(line));
    }

    private (string, byte[]) BadCustomerId()
    {
        var (_, line) = DecoratedLine();
        var id = Pick(BadCustomerIds);
        line["customerId"] = random.Next(5) == 0 ? JsonNode.Parse(Pick(BadLineValues)) : id;
        return ($"bad customerId {Shorten(line["customerId"]?.ToJsonString() ?? "null")}", Serialize(line));
    }

    private (string, byte[]) UnknownCustomer()
    {
        var (_, line) = DecoratedLine();
        line["customerId"] = $"never-registered-{random.Next():x}";
        return ("a customer that does not exist", Serialize(line));
    }

    private (string, byte[]) BadType()
    {
        var (_, line) = DecoratedLine();
        line["type"] = random.Next(5) == 0 ? JsonNode.Parse(Pick(BadLineValues)) : Pick(BadTypes);
        return ($"bad type {Shorten(line["type"]?.ToJsonString() ?? "null")}", Serialize(line));
    }

    private (string, byte[]) BadOccurredAt()
    {
        var (_, line) = DecoratedLine();
        var wrong = Pick(HostileRequests.WrongValues(new FieldShape("occurredAt", FieldKind.Instant, true, null)));
        line["occurredAt"] = wrong is null ? null : JsonNode.Parse(wrong);
        return ($"bad occurredAt {Shorten(wrong ?? "null")}", Serialize(line));
    }

    private (string, byte[]) BadEventId()
    {
        var (_, line) = DecoratedLine();
        line["eventId"] = JsonNode.Parse(Pick(["\"not-a-uuid\"", "42", "\"\"", "\"00000000-0000-0000-0000\"", "[]"]));
        return ($"bad eventId {line["eventId"]!.ToJsonString()}", Serialize(line));
    }

    private (string, byte[]) PayloadNotAnObject()
    {
        var (_, line) = DecoratedLine();
        line["data"] = JsonNode.Parse(Pick(["[]", "\"text\"", "1", "null", "true", "[{}]"]));
        return ($"data {line["data"]?.ToJsonString() ?? "null"}", Serialize(line));
    }

    private (string, byte[]) NotAJsonObject()
    {
        var text = Pick([.. HostileRequests.NotJson.Where(t => t.Length > 0), "[]", "\"text\"", "1", "null", "[{}]"]);
        return ($"not a JSON object: {text}", Encoding.UTF8.GetBytes(text));
    }

    private (string, byte[]) DeepJson()
    {
        var (_, line) = DecoratedLine();
        var depth = random.Next(17, 2000);
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        var text = line.ToJsonString();
        return ($"data nested {depth} deep", Encoding.UTF8.GetBytes($"{text[..^1]},\"deep\":{nested}}}"));
    }

    private (string, byte[]) InvalidUtf8()
    {
        var (_, line) = DecoratedLine();
        line["customerId"] = "\u0001";
        var text = Serialize(line);
        // The \u0001 escape in the customer id becomes an invalid sequence: decoded, the id is U+FFFD.
        var escape = Encoding.UTF8.GetBytes("\\u0001");
        var at = text.AsSpan().IndexOf(escape);
        byte[] invalid = Pick([
            new byte[] { 0xFF },
            [0xC3, 0x28],
            [0xE2, 0x28, 0xA1],
            [0xED, 0xA0, 0x80],
            [0xC0, 0xAF],
        ]);
        return ("invalid UTF-8 in the customer id", [.. text[..at], .. invalid, .. text[(at + escape.Length)..]]);
    }

    private (string, byte[]) RawControlCharacter()
    {
        var (_, line) = DecoratedLine();
        var text = Serialize(line);
        var quote = Array.IndexOf(text, (byte)'"', Array.IndexOf(text, (byte)':') + 1);
        byte control = Pick<byte>([0x00, 0x01, 0x08, 0x0B, 0x1B, 0x1F]);
        return (
            $"raw control character 0x{control:X2} in a string",
            [.. text[..(quote + 1)], control, .. text[(quote + 1)..]]
        );
    }

    /// <summary>A valid line of a random payload, with hostile but well-formed text in some of its text fields.</summary>
    private (CommandShape Shape, JsonObject Line) DecoratedLine()
    {
        var (route, type) = Pick(Payloads);
        var shape = CommandShape.All.Single(s => s.Route == route);
        var line = ValidLine(customerId, shape, type);
        var data = (JsonObject)line["data"]!;
        foreach (var field in PayloadFields(shape).Where(f => f.Kind == FieldKind.Text && data.ContainsKey(f.Name)))
            if (random.Next(3) == 0)
                data[field.Name] = Pick(HostileRequests.HostileText);
        return (shape, line);
    }

    private static JsonObject Payload(CommandShape shape)
    {
        var data = new JsonObject();
        foreach (var field in PayloadFields(shape).Where(f => f.Valid is not null))
            data[field.Name] = field.Valid!.DeepClone();
        return data;
    }

    private static FieldShape[] PayloadFields(CommandShape shape) =>
        [.. shape.Fields.Where(f => f.Name is not ("occurredAt" or "reason"))];

    private static byte[] Serialize(JsonObject line) => JsonSerializer.SerializeToUtf8Bytes(line);

    private static string Shorten(string text) => text.Length > 60 ? $"{text[..60]}…" : text;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
