using RingRift.P2P.Config;
using Xunit;

namespace RingRift.P2P.Tests.Storage;

/// <summary><c>RINGRIFT_P2P_STORAGE_RESERVE_MB</c>: fractions of a MiB allowed, 0 turns the reserve off, anything else is refused naming the variable.</summary>
public sealed class StorageReserveSettingTests
{
    private static P2PConfig Read(string value) =>
        P2PConfig.FromEnvironment(new Dictionary<string, string?> { [P2PEnvironmentVariables.StorageReserveMb] = value });

    [Theory]
    [InlineData("0.25", 0.25)]
    [InlineData("0", 0)]
    [InlineData("1000000", 1_000_000)]
    public void Accepted(string value, double expected) => Assert.Equal(expected, Read(value).StorageReserveMb);

    [Theory]
    [InlineData("-1")]
    [InlineData("1000001")]
    [InlineData("lots")]
    public void Refused_NamingTheVariable(string value)
    {
        var error = Assert.Throws<P2PConfigException>(() => Read(value));
        Assert.StartsWith($"RINGRIFT_P2P_STORAGE_RESERVE_MB='{value}' is invalid", error.Message);
    }
}
