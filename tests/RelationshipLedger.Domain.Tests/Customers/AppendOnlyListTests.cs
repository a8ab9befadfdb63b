using System.Text.Json;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Tests.Customers;

public sealed class AppendOnlyListTests
{
    [Fact]
    public void Every_version_reads_as_it_was_made_when_two_versions_add_to_the_same_one()
    {
        AppendOnlyList<int> shared = [1, 2];
        var first = shared.Add(3);
        var second = shared.Add(4);

        Assert.Equal([1, 2], shared);
        Assert.Equal([1, 2, 3], first);
        Assert.Equal([1, 2, 4], second);
        Assert.True(first.Extends(shared));
        Assert.False(second.Extends(shared)); // it copied: slot 2 was claimed by the first
        Assert.False(shared.Extends(first));
    }

    [Fact]
    public void Adding_to_the_longest_version_extends_it_in_place_of_copying()
    {
        var list = AppendOnlyList.Create<int>([]);
        var versions = new List<AppendOnlyList<int>> { list };
        for (var i = 0; i < 100; i++)
            versions.Add(versions[^1].Add(i));

        Assert.Equal(Enumerable.Range(0, 100), versions[^1]);
        Assert.True(versions[^1].Extends(versions[40]));
        Assert.Equal(Enumerable.Range(0, 40), versions[40]);
        Assert.Equal(39, versions[40][^1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => versions[40][40]);
    }

    [Fact]
    public void Concurrent_adds_to_one_version_each_get_their_own_item_after_the_shared_prefix()
    {
        var prefix = AppendOnlyList.Create<int>([.. Enumerable.Range(0, 5)]).Add(5).Add(6);

        var results = new AppendOnlyList<int>[64];
        Parallel.For(0, results.Length, i => results[i] = prefix.Add(100 + i));

        for (var i = 0; i < results.Length; i++)
            Assert.Equal([.. Enumerable.Range(0, 7), 100 + i], results[i]);
        Assert.Single(results, r => r.Extends(prefix));
    }

    [Fact]
    public void A_list_is_a_json_array_both_ways()
    {
        AppendOnlyList<string> list = ["a", "b"];

        var json = JsonSerializer.Serialize(list.Add("c"));

        Assert.Equal("""["a","b","c"]""", json);
        Assert.Equal(["a", "b", "c"], JsonSerializer.Deserialize<AppendOnlyList<string>>(json)!);
    }
}
