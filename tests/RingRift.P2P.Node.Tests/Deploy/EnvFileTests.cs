using System.Text.RegularExpressions;

namespace RingRift.P2P.Node.Tests.Deploy;

/// <summary>
/// deploy/systemd/ringrift-p2p.env, the service's EnvironmentFile= example, names every variable the
/// node reads (the same list the README's configuration table is checked against), each with its
/// default, and nothing the README does not document; copied as it is, it changes nothing.
/// </summary>
public sealed partial class EnvFileTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepoFiles.Path("deploy", "systemd", "ringrift-p2p.env"));

    /// <summary>An assignment, commented out or not: <c>#NAME=value</c> or <c>NAME=value</c>.</summary>
    [GeneratedRegex(@"^#?(?<name>RINGRIFT_[A-Z0-9_]+)=(?<value>.*)$")]
    private static partial Regex Assignment();

    private static IEnumerable<(string Name, string Value, string Line)> Assignments() =>
        Lines.Select(l => (Line: l, Match: Assignment().Match(l.Trim())))
            .Where(x => x.Match.Success)
            .Select(x => (x.Match.Groups["name"].Value, x.Match.Groups["value"].Value, x.Line));

    public static TheoryData<string, string> Variables() => ReadmeTests.Variables();

    [Theory]
    [MemberData(nameof(Variables))]
    public void EveryVariableTheNodeReads_IsListed_WithItsDefault(string variable, string defaultValue)
    {
        var lines = Assignments().Where(a => a.Name == variable).ToList();

        var line = Assert.Single(lines);
        // Settings unset or empty by default show an example value instead (the file's header says so).
        if (defaultValue.Length > 0 && !defaultValue.StartsWith('(')) Assert.Equal(defaultValue, line.Value);
    }

    [Fact]
    public void EveryVariableListed_IsInTheReadmesConfigurationTable()
    {
        var readme = File.ReadAllLines(RepoFiles.Path("README.md"));

        foreach (var (name, _, _) in Assignments())
            Assert.True(readme.Any(l => l.StartsWith($"| `{name}` |", StringComparison.Ordinal)), $"{name} is in the env file but not in the README's configuration table");
    }

    [Fact]
    public void CopiedAsItIs_ItSetsNothing()
    {
        var active = Lines.Where(l => l.Trim() is { Length: > 0 } t && !t.StartsWith('#')).ToList();

        Assert.Empty(active);
    }
}
