using Npgsql;
using RelationshipLedger.Api.Hosting;

namespace RelationshipLedger.Api.Tests.Hosting;

/// <summary>The API's connect timeout: its own unless the connection string sets one.</summary>
public sealed class DatabaseConnectTimeoutTests
{
    private const string Configured = "Host=db.internal;Port=5432;Username=ledger;Database=ledger";

    [Fact]
    public void A_connection_string_without_a_timeout_gets_the_APIs_and_keeps_everything_else()
    {
        var applied = new NpgsqlConnectionStringBuilder(DatabaseConnectTimeout.Apply(Configured));

        Assert.Equal(DatabaseConnectTimeout.DefaultSeconds, applied.Timeout);
        Assert.Equal(
            ("db.internal", 5432, "ledger", "ledger"),
            (applied.Host, applied.Port, applied.Username, applied.Database)
        );
    }

    [Theory]
    [InlineData("Timeout=30")]
    [InlineData("timeout=30")]
    [InlineData(" TIMEOUT = 30 ")]
    public void A_timeout_the_connection_string_sets_is_kept(string setting)
    {
        var applied = new NpgsqlConnectionStringBuilder(DatabaseConnectTimeout.Apply($"{Configured};{setting}"));

        Assert.Equal(30, applied.Timeout);
    }
}
