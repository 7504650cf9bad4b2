using RingRift.P2P.Config;
using RingRift.P2P.Jobs;
using Xunit;

namespace RingRift.P2P.Tests.Jobs;

/// <summary><c>RINGRIFT_SYNC_STALL_TIMEOUT</c>: 60 s by default, decimals allowed, anything not in (0, 3600] refused naming the variable.</summary>
public sealed class SyncStallTimeoutSettingTests
{
    private static JobsSettings Read(string? value) =>
        JobsSettings.FromEnvironment(new Dictionary<string, string?> { [JobsSettings.SyncStallTimeoutVariable] = value });

    [Fact]
    public void Default_Is60Seconds() => Assert.Equal(TimeSpan.FromSeconds(60), Read(null).SyncStallTimeout);

    [Theory]
    [InlineData("5", 5)]
    [InlineData("2.5", 2.5)]
    [InlineData("3600", 3600)]
    public void Accepted(string value, double seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), Read(value).SyncStallTimeout);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3601")]
    [InlineData("soon")]
    public void Refused_NamingTheVariable(string value)
    {
        var error = Assert.Throws<P2PConfigException>(() => Read(value));
        Assert.StartsWith($"RINGRIFT_SYNC_STALL_TIMEOUT='{value}' is invalid", error.Message);
    }
}
