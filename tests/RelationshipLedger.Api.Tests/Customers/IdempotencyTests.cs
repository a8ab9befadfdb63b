using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>Idempotency-Key: a repeat gets the first answer and appends nothing; a different body under the same key is a 422.</summary>
public sealed class IdempotencyTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private static readonly object Purchase = new
    {
        orderId = "o-1",
        amount = 1250m,
        currency = "EUR",
    };

    private static readonly object Contact = new
    {
        channel = "Phone",
        initiator = "Customer",
        purpose = "Service",
    };

    [Fact]
    public async Task A_repeat_with_the_same_key_and_body_answers_the_first_response_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("repeat");
        await api.Bootstrap.RegisterAsync(id);
        var key = Guid.NewGuid().ToString();
        var first = await api.Recorder.PostJsonAsync($"/customers/{id}/purchases", Purchase, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var firstAnswer = await first.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json);
        var before = await api.MarkAsync(id);

        var repeat = await api.Recorder.PostJsonAsync($"/customers/{id}/purchases", Purchase, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(first.Headers.ETag, repeat.Headers.ETag);
        var repeatAnswer = await repeat.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json);
        Assert.Equal(firstAnswer!.Version, repeatAnswer!.Version);
        Assert.Equal(firstAnswer.EventIds, repeatAnswer.EventIds);
        await api.AssertNothingAppendedAsync(id, before);
    }

    /// <summary>
    /// A contact (and an erasure) is a command the decider accepts every time: its repeat is not refused
    /// by the rules but by the key, which the first append stored and the repeat's append finds taken.
    /// </summary>
    [Theory]
    [InlineData("contacts")]
    [InlineData("erase")]
    public async Task A_repeat_of_a_command_the_rules_accept_every_time_answers_the_first_response_and_appends_nothing(
        string route
    )
    {
        var id = LedgerHttp.NewCustomerId("repeat-" + route);
        await api.Bootstrap.RegisterAsync(id);
        var key = Guid.NewGuid().ToString();
        var body = route == "erase" ? new { reason = "the customer asked" } : Contact;
        var first = await api.Bootstrap.PostJsonAsync($"/customers/{id}/{route}", body, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstAnswer = await first.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json);
        var before = await api.MarkAsync(id);

        var repeat = await api.Bootstrap.PostJsonAsync($"/customers/{id}/{route}", body, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replayed")));
        var repeatAnswer = await repeat.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json);
        Assert.Equal(firstAnswer!.Version, repeatAnswer!.Version);
        Assert.Equal(firstAnswer.EventIds, repeatAnswer.EventIds);
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_repeat_still_answers_the_first_response_after_the_stream_moved_on()
    {
        var id = LedgerHttp.NewCustomerId("repeat-later");
        await api.Bootstrap.RegisterAsync(id);
        var key = Guid.NewGuid().ToString();
        var first = await api.Recorder.PostJsonAsync($"/customers/{id}/purchases", Purchase, idempotencyKey: key);
        var firstAnswer = await first.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json);
        await api.Recorder.CommandAsync($"/customers/{id}/surveys", new { surveyId = "s-1", rating = 5 });
        var before = await api.MarkAsync(id);

        var repeat = await api.Recorder.PostJsonAsync($"/customers/{id}/purchases", Purchase, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal("\"2\"", repeat.Headers.ETag?.Tag);
        var repeatAnswer = await repeat.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json);
        Assert.Equal(2, repeatAnswer!.Version);
        Assert.Equal(firstAnswer!.EventIds, repeatAnswer.EventIds);
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_repeated_registration_answers_201_with_the_location_again_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("repeat-register");
        var body = new
        {
            customerId = id,
            name = "Acme",
            kind = "Organization",
        };
        var key = Guid.NewGuid().ToString();
        var first = await api.Recorder.PostJsonAsync("/customers", body, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await api.MarkAsync(id);

        var repeat = await api.Recorder.PostJsonAsync("/customers", body, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal($"/customers/{id}", repeat.Headers.Location?.OriginalString);
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json))!.EventIds,
            (await repeat.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json))!.EventIds
        );
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_422_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("reused-key");
        await api.Bootstrap.RegisterAsync(id);
        var key = Guid.NewGuid().ToString();
        await api.Recorder.PostJsonAsync($"/customers/{id}/purchases", Purchase, idempotencyKey: key);
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/purchases",
            new
            {
                orderId = "o-2",
                amount = 99m,
                currency = "EUR",
            },
            idempotencyKey: key
        );

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task The_same_key_and_body_on_another_customer_is_a_422_and_appends_nothing()
    {
        var first = LedgerHttp.NewCustomerId("key-first");
        var second = LedgerHttp.NewCustomerId("key-second");
        await api.Bootstrap.RegisterAsync(first);
        await api.Bootstrap.RegisterAsync(second);
        var key = Guid.NewGuid().ToString();
        await api.Recorder.PostJsonAsync($"/customers/{first}/purchases", Purchase, idempotencyKey: key);
        var before = await api.MarkAsync(second);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{second}/purchases",
            Purchase,
            idempotencyKey: key
        );

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await api.AssertNothingAppendedAsync(second, before);
    }

    /// <summary>
    /// An erasure destroys the customer's key before its append: a key taken by another request must
    /// stop it before that, not at the append, or the data would be gone with no erasure recorded.
    /// </summary>
    [Fact]
    public async Task An_erasure_under_a_key_taken_by_another_request_is_a_422_and_erases_nothing()
    {
        var buyer = LedgerHttp.NewCustomerId("key-buyer");
        var kept = LedgerHttp.NewCustomerId("key-kept");
        await api.Bootstrap.RegisterAsync(buyer);
        await api.Bootstrap.RegisterAsync(kept, name: "Ada Lovelace");
        var key = Guid.NewGuid().ToString();
        await api.Bootstrap.PostJsonAsync($"/customers/{buyer}/purchases", Purchase, idempotencyKey: key);
        var before = await api.MarkAsync(kept);

        var response = await api.Bootstrap.PostJsonAsync(
            $"/customers/{kept}/erase",
            new { reason = "the customer asked" },
            idempotencyKey: key
        );

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await api.AssertNothingAppendedAsync(kept, before);
        Assert.Equal(
            "Ada Lovelace",
            (await api.Bootstrap.EventsAsync(kept))[0].GetProperty("data").GetProperty("name").GetString()
        );
    }

    [Theory]
    [InlineData("purchase")]
    [InlineData("contact")]
    [InlineData("registration")]
    public async Task Twenty_concurrent_requests_with_one_key_and_body_append_once_and_all_answer_the_same(
        string command
    )
    {
        var id = LedgerHttp.NewCustomerId($"concurrent-{command}");
        // A purchase names its order id, a contact without an id gets a new one per attempt, and a
        // registration may be refused as a second one: each races the first request differently.
        var (path, body, status, version) = command switch
        {
            "purchase" => ($"/customers/{id}/purchases", Purchase, HttpStatusCode.OK, 2),
            "contact" => ($"/customers/{id}/contacts", Contact, HttpStatusCode.OK, 2),
            _ => (
                "/customers",
                (object)
                    new
                    {
                        customerId = id,
                        name = "Acme",
                        kind = "Organization",
                    },
                HttpStatusCode.Created,
                1
            ),
        };
        if (command != "registration")
            await api.Bootstrap.RegisterAsync(id);
        var key = Guid.NewGuid().ToString();
        var before = await api.MarkAsync(id);

        var responses = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(_ => api.Recorder.PostJsonAsync(path, body, idempotencyKey: key))
        );

        var texts = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.All(
            responses.Zip(texts),
            pair => Assert.True(pair.First.StatusCode == status, $"{(int)pair.First.StatusCode}: {pair.Second}")
        );
        var answers = texts.Select(t => JsonSerializer.Deserialize<CommandAnswer>(t, LedgerHttp.Json)!).ToArray();
        Assert.All(answers, a => Assert.Equal(version, a.Version));
        Assert.Single(answers.Select(a => Assert.Single(a.EventIds)).Distinct());
        Assert.All(responses, r => Assert.Equal($"\"{version}\"", r.Headers.ETag?.Tag));
        Assert.Equal(19, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        var after = await api.MarkAsync(id);
        Assert.Equal(before.StreamEvents + 1, after.StreamEvents);
        Assert.Equal(before.AllEvents + 1, after.AllEvents);
    }

    [Fact]
    public async Task Keys_belong_to_the_caller_so_another_key_with_the_same_idempotency_key_appends_its_own_event()
    {
        var id = LedgerHttp.NewCustomerId("per-caller");
        await api.Bootstrap.RegisterAsync(id);
        var other = await api.ClientWithRolesAsync("second-desk", "recorder");
        var key = Guid.NewGuid().ToString();
        await api.Recorder.PostJsonAsync($"/customers/{id}/contacts", Contact, idempotencyKey: key);

        var response = await other.PostJsonAsync($"/customers/{id}/contacts", Contact, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3, (await api.MarkAsync(id)).StreamEvents);
    }
}
