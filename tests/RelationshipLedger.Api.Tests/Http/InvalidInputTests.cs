using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Http;

/// <summary>
/// Bad input is a 400 problem naming the field at fault (shared/design.md §4), never a 500, and
/// never appends anything: after each refusal the stream and the whole log are as they were.
/// </summary>
public sealed class InvalidInputTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Theory]
    [InlineData("purchases", """{"orderId":"o-1","currency":"EUR"}""", "amount")]
    [InlineData("purchases", """{"orderId":"o-1","amount":"lots","currency":"EUR"}""", "amount")]
    [InlineData("purchases", """{"orderId":"o-1","amount":10,"currency":"EUR","discount":5}""", "discount")]
    [InlineData("purchases", """{"orderId":42,"amount":10,"currency":"EUR"}""", "orderId")]
    [InlineData("purchases", """{"orderId":"o-1","amount":-10,"currency":"EUR"}""", "amount")]
    [InlineData("purchases", """{"orderId":"o-1","amount":10.12345,"currency":"EUR"}""", "amount")]
    [InlineData("purchases", """{"orderId":"o-1","amount":10,"currency":"euro"}""", "currency")]
    [InlineData("purchases", """{"orderId":"o-1","amount":10,"currency":"EU"}""", "currency")]
    [InlineData("purchases", """{"orderId":"o-1","amount":10,""", "body")]
    [InlineData("purchases", "", "body")]
    [InlineData("purchases", "null", "body")]
    [InlineData("purchases", "[]", "body")]
    [InlineData("contacts", """{"channel":1,"initiator":"Company","purpose":"Sales"}""", "channel")]
    [InlineData("contacts", """{"channel":"1","initiator":"Company","purpose":"Sales"}""", "channel")]
    [InlineData("contacts", """{"channel":"Pigeon","initiator":"Company","purpose":"Sales"}""", "channel")]
    [InlineData("contacts", """{"channel":"Visit","initiator":"Company","purpose":"Sales","cost":-1}""", "cost")]
    [InlineData("surveys", """{"surveyId":"s-1","rating":7}""", "rating")]
    [InlineData("surveys", """{"surveyId":"s-1","rating":0}""", "rating")]
    [InlineData("surveys", """{"surveyId":"s-1","rating":4,"recommend":11}""", "recommend")]
    [InlineData("surveys", """{"surveyId":"s-1","rating":4.5}""", "rating")]
    [InlineData(
        "complaints",
        """{"complaintId":"c-1","category":"Product","severity":"Urgent","description":"x"}""",
        "severity"
    )]
    [InlineData("tier", """{"to":"Friend","reason":"r","approvedBy":"ceo"}""", "to")]
    [InlineData("tier", """{"to":"Partner","approvedBy":"ceo"}""", "reason")]
    [InlineData("care-tier", """{"tier":4,"annualBudget":100}""", "tier")]
    [InlineData("end", """{"cause":3}""", "cause")]
    [InlineData("owner", """{"ownerId":"bob"}""", "reason")]
    [InlineData("profile", "{}", "profile")]
    [InlineData("profile", """{"email":"not-an-address"}""", "email")]
    [InlineData("profile", """{"birthday":"31.12.1980"}""", "birthday")]
    public async Task A_malformed_command_body_is_a_400_naming_the_field_and_appends_nothing(
        string route,
        string body,
        string field
    )
    {
        var id = LedgerHttp.NewCustomerId("bad-body");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostTextAsync($"/customers/{id}/{route}", body);

        await ProblemAssert.HasFieldErrorAsync(response, field);
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_business_time_more_than_five_minutes_ahead_is_a_400_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("future");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/surveys",
            new
            {
                surveyId = "s-1",
                rating = 5,
                occurredAt = DateTimeOffset.UtcNow.AddMinutes(30),
            }
        );

        await ProblemAssert.HasFieldErrorAsync(response, "occurredAt");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Theory]
    [InlineData("2026-03-01T09:00:00")]
    [InlineData("2026-03-01T09:00:00.5")]
    [InlineData("2026-03-01")]
    [InlineData("01.03.2026 09:00")]
    [InlineData("1772355600")]
    public async Task A_business_time_without_an_offset_is_a_400_and_appends_nothing(string occurredAt)
    {
        var id = LedgerHttp.NewCustomerId("no-offset");
        await api.Bootstrap.RegisterAsync(id, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var before = await api.MarkAsync(id);
        var body = $$"""{"surveyId":"s-1","rating":5,"occurredAt":"{{occurredAt}}"}""";

        var response = await api.Recorder.PostTextAsync($"/customers/{id}/surveys", body);

        await ProblemAssert.HasFieldErrorAsync(response, "occurredAt");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_business_time_with_an_offset_is_recorded_as_that_instant()
    {
        var id = LedgerHttp.NewCustomerId("offset");
        await api.Bootstrap.RegisterAsync(id, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var response = await api.Recorder.PostTextAsync(
            $"/customers/{id}/surveys",
            """{"surveyId":"s-1","rating":5,"occurredAt":"2026-03-01T09:00:00+08:00"}"""
        );

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var recorded = (await api.Bootstrap.EventsAsync(id))[^1].GetProperty("occurredAt").GetDateTimeOffset();
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 1, 0, 0, TimeSpan.Zero), recorded);
    }

    [Theory]
    [InlineData("""{"name":"Acme","kind":"Organization"}""", "customerId")]
    [InlineData("""{"customerId":"has space","name":"Acme","kind":"Organization"}""", "customerId")]
    [InlineData("""{"customerId":"CUSTOMER-ID","name":"Acme"}""", "kind")]
    [InlineData("""{"customerId":"CUSTOMER-ID","name":"Acme","kind":0}""", "kind")]
    [InlineData("""{"customerId":"CUSTOMER-ID","name":"  ","kind":"Individual"}""", "name")]
    [InlineData("""{"customerId":"CUSTOMER-ID","name":"Acme","kind":"Individual","vip":true}""", "vip")]
    public async Task A_malformed_registration_is_a_400_and_starts_no_stream(string body, string field)
    {
        var id = LedgerHttp.NewCustomerId("bad-register");
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostTextAsync(
            "/customers",
            body.Replace("CUSTOMER-ID", id, StringComparison.Ordinal)
        );

        await ProblemAssert.HasFieldErrorAsync(response, field);
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("semi%3Bcolon")]
    [InlineData("%C3%BCmlaut")]
    [InlineData("x1234567890123456789012345678901234567890123456789012345678901234")]
    public async Task A_customer_id_outside_the_rule_in_the_route_is_a_400_for_commands_and_queries(string routeId)
    {
        var before = await api.MarkAsync("anything");

        var command = await api.Recorder.PostJsonAsync(
            $"/customers/{routeId}/purchases",
            new
            {
                orderId = "o-1",
                amount = 10m,
                currency = "EUR",
            }
        );
        var query = await api.Bootstrap.GetAsync($"/customers/{routeId}");
        var events = await api.Bootstrap.GetAsync($"/customers/{routeId}/events");

        await ProblemAssert.HasFieldErrorAsync(command, "customerId");
        await ProblemAssert.HasFieldErrorAsync(query, "customerId");
        await ProblemAssert.HasFieldErrorAsync(events, "customerId");
        Assert.Equal(before.AllEvents, (await api.MarkAsync("anything")).AllEvents);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("\"-1\"")]
    [InlineData("\"1.0\"")]
    [InlineData("\"one\"")]
    public async Task A_malformed_if_match_is_a_400_and_appends_nothing(string ifMatch)
    {
        var id = LedgerHttp.NewCustomerId("bad-if-match");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/surveys",
            new { surveyId = "s-1", rating = 5 },
            ifMatch: ifMatch
        );

        await ProblemAssert.HasFieldErrorAsync(response, "If-Match");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task An_idempotency_key_over_200_characters_is_a_400_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("bad-key");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/surveys",
            new { surveyId = "s-1", rating = 5 },
            idempotencyKey: new string('k', 201)
        );

        await ProblemAssert.HasFieldErrorAsync(response, "Idempotency-Key");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Theory]
    [InlineData("", "asOf=yesterday", "asOf")]
    [InlineData("", "asOf=2026-03-01T09:00:00", "asOf")]
    [InlineData("", "asOf=2026-02-30", "asOf")]
    [InlineData("", "knownAt=soon", "knownAt")]
    [InlineData("", "version=0", "version")]
    [InlineData("", "version=two", "version")]
    [InlineData("/tiers", "asOf=1.3.2026", "asOf")]
    [InlineData("/stages", "version=-1", "version")]
    [InlineData("/satisfaction", "knownAt=2026-13-01", "knownAt")]
    [InlineData("/events", "fromVersion=x", "fromVersion")]
    [InlineData("/events", "toVersion=0", "toVersion")]
    [InlineData("/timeline", "knownAt=later", "knownAt")]
    public async Task A_malformed_query_parameter_is_a_400_naming_it(string route, string query, string field)
    {
        var id = LedgerHttp.NewCustomerId("bad-query");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);

        var response = await api.Bootstrap.GetAsync($"/customers/{id}{route}?{query}");

        await ProblemAssert.HasFieldErrorAsync(response, field);
        await api.AssertNothingAppendedAsync(id, before);
    }
}
