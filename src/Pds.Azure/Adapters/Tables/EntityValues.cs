using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Tables;

/// <summary>
/// Typed reads of properties a store always writes. A row without one was not written by the
/// store (or is damaged): that is an <see cref="InvalidDataException"/> naming the row, never a
/// silently defaulted value. Times are stored as Int64 UTC ticks: exact to the tick (Edm.DateTime
/// is not guaranteed to keep all seven fractional digits) and ordered as numbers.
/// </summary>
internal static class EntityValues
{
    public static string RequiredString(this TableEntity entity, string name) => entity.GetString(name) ?? throw Missing(entity, name);

    public static long RequiredInt64(this TableEntity entity, string name) => entity.GetInt64(name) ?? throw Missing(entity, name);

    public static int RequiredInt32(this TableEntity entity, string name) => entity.GetInt32(name) ?? throw Missing(entity, name);

    public static bool RequiredBoolean(this TableEntity entity, string name) => entity.GetBoolean(name) ?? throw Missing(entity, name);

    public static DateTimeOffset RequiredTime(this TableEntity entity, string name) => new(entity.RequiredInt64(name), TimeSpan.Zero);

    public static TableEntity SetTime(this TableEntity entity, string name, DateTimeOffset time) => entity.Set(name, time.UtcTicks);

    /// <summary>Sets a string property, or leaves it out when null (Table Storage has no null values).</summary>
    public static TableEntity SetOptional(this TableEntity entity, string name, string? value)
    {
        entity[name] = value;
        return entity;
    }

    private static InvalidDataException Missing(TableEntity entity, string name) =>
        new($"table row ({entity.PartitionKey}, {entity.RowKey}) lacks property '{name}'");
}
