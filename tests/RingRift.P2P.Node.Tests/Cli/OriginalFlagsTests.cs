using RingRift.P2P.Config;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Notifications;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary><c>run</c> accepts the original orchestrator's flags, and a bad webhook setting stops start-up with one line.</summary>
public sealed class OriginalFlagsTests
{
    private static NodeOptions Resolve(RunFlags flags, params (string Name, string Value)[] env) =>
        NodeOptionsResolver.Resolve(flags with { NodeId = "n1", DataDir = Path.GetTempPath() },
            env.ToDictionary(e => e.Name, e => (string?)e.Value));

    [Fact]
    public void Advertise_host_is_the_advertise_address_flag()
    {
        Assert.Equal("100.64.0.9", RunCommand.ParseFlags("--advertise-host", "100.64.0.9").AdvertiseAddress);
        Assert.Equal("100.64.0.9", RunCommand.ParseFlags("--advertise-address", "100.64.0.9").AdvertiseAddress);
        Assert.Equal("100.64.0.9", Resolve(RunCommand.ParseFlags("--advertise-host", "100.64.0.9")).AdvertiseAddress);
    }

    [Fact]
    public void Auth_token_flag_sets_the_cluster_token_over_the_environment()
    {
        var flags = RunCommand.ParseFlags("--auth-token", "from-flag");

        Assert.Equal("from-flag", flags.AuthToken);
        Assert.Equal("from-flag", Resolve(flags, ("RINGRIFT_CLUSTER_AUTH_TOKEN", "from-env")).Config.AuthToken);
        Assert.Equal("from-env", Resolve(new RunFlags(), ("RINGRIFT_CLUSTER_AUTH_TOKEN", "from-env")).Config.AuthToken);
    }

    [Fact]
    public void A_bad_auth_token_flag_is_refused_naming_the_flag_never_the_token()
    {
        var ex = Assert.Throws<P2PConfigException>(() => Resolve(new RunFlags(AuthToken: " padded-secret ")));

        Assert.Equal("--auth-token", ex.Variable);
        Assert.DoesNotContain("padded-secret", ex.Message);
    }

    [Theory]
    [InlineData("RINGRIFT_WEBHOOK_EVENTS", "job_done")]
    [InlineData("RINGRIFT_WEBHOOK_FORMAT", "teams")]
    [InlineData("RINGRIFT_WEBHOOK_URL", "hooks.slack.com/services/x")]
    public void A_bad_webhook_setting_stops_start_up_naming_the_variable(string variable, string value)
    {
        var env = variable == "RINGRIFT_WEBHOOK_URL"
            ? new[] { (variable, value) }
            : [("RINGRIFT_WEBHOOK_URL", "https://example.test/hook"), (variable, value)];

        var ex = Assert.Throws<P2PConfigException>(() => Resolve(new RunFlags(), env));

        Assert.Equal(variable, ex.Variable);
        Assert.Contains($"'{value}'", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void The_environments_webhooks_come_before_the_jobs_files()
    {
        var options = Resolve(new RunFlags(), ("RINGRIFT_SLACK_WEBHOOK_URL", "https://example.test/slack"), ("RINGRIFT_WEBHOOK_URL", "https://example.test/a"));

        Assert.Equal(["https://example.test/a", "https://example.test/slack"], options.Webhooks.Select(w => w.Url));
        Assert.Equal(WebhookFormat.Slack, options.Webhooks[1].Format);
    }
}
