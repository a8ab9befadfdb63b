using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>What every benchmark command asks alike: the throwaway cluster's fsync, and bounded counts.</summary>
internal static class BenchOptions
{
    /// <summary>A new <c>--fsync on|off</c> option (each command needs an instance of its own).</summary>
    public static Option<string?> Fsync()
    {
        var option = new Option<string?>("--fsync")
        {
            Description =
                "fsync of the throwaway cluster: on (default, production-like) or off. Not allowed with --connection.",
            HelpName = "on|off",
        };
        option.AcceptOnlyFromAmong("on", "off");
        return option;
    }

    /// <summary>Whether the throwaway cluster keeps fsync on; refuses <c>--fsync</c> beside <c>--connection</c>.</summary>
    public static bool DurableCluster(ParseResult parseResult, Option<string?> fsync)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var value = parseResult.GetValue(fsync);
        if (parseResult.GetValue(LedgerConnection.Option) is not null && value is not null)
            throw new UsageException(
                "--fsync sets up the throwaway cluster; with --connection the server's own fsync setting applies (the report shows it)."
            );
        return value != "off";
    }

    /// <summary>An integer option with a default that refuses values outside [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<int> Bounded(
        string name,
        string helpName,
        string description,
        int defaultValue,
        int minimum,
        int maximum
    )
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum || value > maximum)
                result.AddError($"{name} must be between {minimum} and {maximum}; it was {value}.");
        });
        return option;
    }
}
