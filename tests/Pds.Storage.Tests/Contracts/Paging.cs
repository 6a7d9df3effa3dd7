namespace Pds.Storage.Tests.Contracts;

/// <summary>Walks a cursor-paged listing to its end, checking that no page is larger than asked.</summary>
public static class Paging
{
    public static async Task<List<T>> AllAsync<T, TCursor>(
        int pageSize, TCursor start, Func<TCursor, Task<IReadOnlyList<T>>> page, Func<T, TCursor> cursorOf)
    {
        var all = new List<T>();
        var cursor = start;
        while (true)
        {
            var items = await page(cursor);
            Assert.True(items.Count <= pageSize, $"page of {items.Count} items, asked for at most {pageSize}");
            if (items.Count == 0)
            {
                return all;
            }
            all.AddRange(items);
            cursor = cursorOf(items[^1]);
        }
    }
}
