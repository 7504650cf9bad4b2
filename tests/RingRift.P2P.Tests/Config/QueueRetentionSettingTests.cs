using RingRift.P2P.Config;
using Xunit;

namespace RingRift.P2P.Tests.Config;

/// <summary>
/// <c>RINGRIFT_QUEUE_RETENTION</c> (24 h by default, seconds with decimals, 0: no age limit, at most a year) and
/// <c>RINGRIFT_QUEUE_RETAIN_MAX</c> (10,000 by default, 0: no count limit): anything else is refused naming the variable.
/// </summary>
public sealed class QueueRetentionSettingTests
{
    private static P2PConfig Read(string variable, string? value) =>
        P2PConfig.FromEnvironment(new Dictionary<string, string?> { [variable] = value });

    [Fact]
    public void Defaults_AreADay_AndTenThousandItems()
    {
        var config = Read(P2PEnvironmentVariables.QueueRetention, null);

        Assert.Equal((TimeSpan.FromHours(24), 10_000), (config.QueueRetention, config.QueueRetainMax));
        Assert.Equal((TimeSpan.FromHours(24), 10_000), (config.Retention.MaxAge, config.Retention.MaxFinished));
        Assert.True(config.Retention.IsEnabled);
    }

    [Theory]
    [InlineData("60", 60)]
    [InlineData("0.5", 0.5)]
    [InlineData("0", 0)]
    [InlineData("31536000", 31_536_000)]
    public void Retention_Accepted(string value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Read(P2PEnvironmentVariables.QueueRetention, value).QueueRetention);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("100000000", 100_000_000)]
    public void RetainMax_Accepted(string value, int count) =>
        Assert.Equal(count, Read(P2PEnvironmentVariables.QueueRetainMax, value).QueueRetainMax);

    [Theory]
    [InlineData("-1")]
    [InlineData("31536001")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1d")]
    public void Retention_Refused_NamingTheVariableAndWhatIsAllowed(string value)
    {
        var error = Assert.Throws<P2PConfigException>(() => Read(P2PEnvironmentVariables.QueueRetention, value));
        Assert.StartsWith($"RINGRIFT_QUEUE_RETENTION='{value}' is invalid", error.Message);
        Assert.Contains("seconds at least 0 and at most 31536000", error.Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("100000001")]
    [InlineData("2.5")]
    [InlineData("many")]
    public void RetainMax_Refused_NamingTheVariableAndWhatIsAllowed(string value)
    {
        var error = Assert.Throws<P2PConfigException>(() => Read(P2PEnvironmentVariables.QueueRetainMax, value));
        Assert.StartsWith($"RINGRIFT_QUEUE_RETAIN_MAX='{value}' is invalid", error.Message);
        Assert.Contains("an integer from 0 to 100000000", error.Message);
    }

    [Fact]
    public void BothZero_TurnsRetentionOff()
    {
        var config = P2PConfig.FromEnvironment(new Dictionary<string, string?>
        {
            [P2PEnvironmentVariables.QueueRetention] = "0",
            [P2PEnvironmentVariables.QueueRetainMax] = "0",
        });

        Assert.False(config.Retention.IsEnabled);
    }

    [Fact]
    public void InitAccessors_RefuseOutOfRangeValues_WithTheSameMessage()
    {
        Assert.StartsWith("RINGRIFT_QUEUE_RETENTION='-1' is invalid", Assert.Throws<P2PConfigException>(() => new P2PConfig { QueueRetention = TimeSpan.FromSeconds(-1) }).Message);
        Assert.StartsWith("RINGRIFT_QUEUE_RETAIN_MAX='-5' is invalid", Assert.Throws<P2PConfigException>(() => new P2PConfig { QueueRetainMax = -5 }).Message);
    }
}
