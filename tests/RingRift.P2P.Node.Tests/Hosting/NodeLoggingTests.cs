using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using RingRift.P2P.Config;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>RINGRIFT_LOG_LEVEL and RINGRIFT_LOG_FORMAT as the node host applies them (the process test is RunProcessTests).</summary>
public sealed class NodeLoggingTests
{
    private const string Ours = "RingRift.P2P.Election.BullyElection";
    private const string Kestrel = "Microsoft.AspNetCore.Server.Kestrel";
    private const string HttpClient = "System.Net.Http.HttpClient.peers.LogicalHandler";

    /// <summary>The container's logging as the host's builder sets it up (simple console), then the node's settings.</summary>
    private static ServiceProvider Logging(LogSettings settings) =>
        new ServiceCollection().AddLogging(b => b.AddSimpleConsole().AddNodeConsole(settings)).BuildServiceProvider();

    private static bool Enabled(ServiceProvider services, string category, LogLevel level) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger(category).IsEnabled(level);

    [Fact]
    public void Default_logs_our_information_and_only_warnings_of_the_framework_as_before()
    {
        using var services = Logging(new LogSettings());

        Assert.True(Enabled(services, Ours, LogLevel.Information));
        Assert.False(Enabled(services, Ours, LogLevel.Debug));
        Assert.False(Enabled(services, Kestrel, LogLevel.Information));
        Assert.True(Enabled(services, Kestrel, LogLevel.Warning));
        Assert.False(Enabled(services, HttpClient, LogLevel.Information));
        Assert.False(Enabled(services, "Polly", LogLevel.Critical));
        Assert.Equal(ConsoleFormatterNames.Simple, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Fact]
    public void A_lower_level_opens_our_categories_but_the_framework_keeps_its_floor()
    {
        using var services = Logging(new LogSettings { MinimumLevel = LogLevel.Trace });

        Assert.True(Enabled(services, Ours, LogLevel.Trace));
        Assert.False(Enabled(services, Kestrel, LogLevel.Information));
        Assert.True(Enabled(services, Kestrel, LogLevel.Warning));
        Assert.False(Enabled(services, HttpClient, LogLevel.Debug));
        Assert.False(Enabled(services, "Polly", LogLevel.Critical));
    }

    [Fact]
    public void A_higher_level_also_quiets_the_framework_below_it()
    {
        using var services = Logging(new LogSettings { MinimumLevel = LogLevel.Error });

        Assert.False(Enabled(services, Ours, LogLevel.Warning));
        Assert.True(Enabled(services, Ours, LogLevel.Error));
        Assert.False(Enabled(services, Kestrel, LogLevel.Warning));
        Assert.True(Enabled(services, Kestrel, LogLevel.Error));
        Assert.False(Enabled(services, HttpClient, LogLevel.Warning));
    }

    [Fact]
    public void Json_switches_the_console_to_the_json_formatter_with_utc_iso_timestamps_and_scopes()
    {
        using var services = Logging(new LogSettings { Format = LogFormat.Json });

        Assert.Equal(ConsoleFormatterNames.Json, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        var json = services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        Assert.True(json.UseUtcTimestamp);
        Assert.Equal("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", json.TimestampFormat);
        Assert.True(json.IncludeScopes);
    }

    [Fact]
    public void Run_reads_both_variables_and_refuses_a_bad_one_before_the_node_starts()
    {
        var env = new Dictionary<string, string?> { [LogSettings.FormatVariable] = "json", [LogSettings.LevelVariable] = "WARNING" };
        var options = NodeOptionsResolver.Resolve(new RunFlags(NodeId: "x"), env);

        Assert.Equal(new LogSettings { Format = LogFormat.Json, MinimumLevel = LogLevel.Warning }, options.Logging);
        env[LogSettings.LevelVariable] = "loud";
        var e = Assert.Throws<P2PConfigException>(() => NodeOptionsResolver.Resolve(new RunFlags(NodeId: "x"), env));
        Assert.Equal(LogSettings.LevelVariable, e.Variable);
    }
}
