using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>The ledger the seed tests read: <see cref="Customers"/> customers written by one run of <c>ledger seed</c>.</summary>
public sealed class SeededLedger : IAsyncLifetime
{
    /// <summary>Ten: one full turn of the pattern rotation, so every pattern is there.</summary>
    public const int Customers = 10;

    /// <summary>The instant the histories lead up to, given with an offset: 11:00 UTC.</summary>
    public const string Now = "2026-03-01T12:00:00+01:00";

    public static readonly DateTimeOffset NowUtc = new(2026, 3, 1, 11, 0, 0, TimeSpan.Zero);

    public CliLedger Ledger { get; } = new();

    public CliResult Seeding { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Ledger.InitializeAsync();
        Seeding = await Ledger.RunAsync("seed", "--customers", $"{Customers}", "--seed", "7", "--now", Now);
    }

    public Task DisposeAsync() => Ledger.DisposeAsync();
}
