using System;
using System.Collections;
using System.Collections.Specialized;

namespace Okta.PowerShell.Configuration;

/// <summary>
/// A case-insensitive dictionary whose enumeration (what Format-*, ConvertTo-Json, Export-Clixml and
/// Out-String use) shows secret values masked while direct reads (<c>$c.AccessToken</c>,
/// <c>$c['ApiKey'].apitoken</c>) return them. It implements IDictionary itself rather than deriving
/// from Hashtable: PowerShell's formatter reads a Hashtable's entries without going through its
/// (overridable) enumerator.
/// </summary>
public abstract class MaskedDictionary : IDictionary
{
    internal const string Masked = Secrets.Masked;

    // Ordered, so the configuration prints in a stable, readable order.
    private readonly OrderedDictionary _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>One counter for every table of the process: each mutation takes a value no table had before.</summary>
    private static long _lastStamp;

    private long _stamp = System.Threading.Interlocked.Increment(ref _lastStamp);

    /// <summary>
    /// Changes whenever this table or a table stored in it changes ($c.BaseUrl = …, $c.DefaultHeaders['X'] = …):
    /// the newest mutation stamp among them. Stamps come from one process-wide counter, so replacing a nested
    /// table, or changing a table two configurations share, can never bring an earlier version back.
    /// </summary>
    public long Version
    {
        get
        {
            var version = System.Threading.Interlocked.Read(ref _stamp);
            foreach (var value in _entries.Values)
            {
                if (value is MaskedDictionary nested && nested.Version > version) version = nested.Version;
            }
            return version;
        }
    }

    private void Touch() => System.Threading.Interlocked.Exchange(ref _stamp, System.Threading.Interlocked.Increment(ref _lastStamp));

    /// <summary>Whether the value under this key is a secret.</summary>
    protected abstract bool IsSecret(object key);

    /// <summary>How a value is shown when the dictionary is enumerated: secrets masked.</summary>
    protected virtual object? Shown(object key, object? value) => value is not null && IsSecret(key) ? Masked : value;

    /// <summary>Lets a derived class convert a value as it is stored.</summary>
    protected virtual object? Store(object key, object? value) => value;

    public virtual object? this[object key]
    {
        get => _entries[key];
        set
        {
            _entries[key] = Store(key, value);
            Touch();
        }
    }

    public bool ContainsKey(object key) => _entries.Contains(key);
    public bool Contains(object key) => _entries.Contains(key);

    public void Add(object key, object? value)
    {
        _entries.Add(key, Store(key, value));
        Touch();
    }

    public void Remove(object key)
    {
        _entries.Remove(key);
        Touch();
    }

    public void Clear()
    {
        _entries.Clear();
        Touch();
    }
    public ICollection Keys => _entries.Keys;
    /// <summary>The values, secrets masked.</summary>
    public ICollection Values
    {
        get
        {
            var values = new ArrayList(_entries.Count);
            foreach (DictionaryEntry entry in this) values.Add(entry.Value);
            return values;
        }
    }
    public int Count => _entries.Count;
    public bool IsReadOnly => false;
    public bool IsFixedSize => false;
    public bool IsSynchronized => false;
    public object SyncRoot => this;

    public void CopyTo(Array array, int index)
    {
        foreach (DictionaryEntry entry in this) array.SetValue(entry, index++);
    }

    public IDictionaryEnumerator GetEnumerator() => new MaskingEnumerator(_entries.GetEnumerator(), Shown);
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>"{name = value, …}" with secrets masked, for string interpolation ("$($c.ApiKey)").</summary>
    public override string ToString()
    {
        var parts = new string[Count];
        var i = 0;
        foreach (DictionaryEntry entry in this) parts[i++] = Convert.ToString(entry.Key) + " = " + Convert.ToString(entry.Value);
        return "{" + string.Join(", ", parts) + "}";
    }

    private sealed class MaskingEnumerator : IDictionaryEnumerator
    {
        private readonly IDictionaryEnumerator _inner;
        private readonly Func<object, object?, object?> _shown;

        internal MaskingEnumerator(IDictionaryEnumerator inner, Func<object, object?, object?> shown)
        {
            _inner = inner;
            _shown = shown;
        }

        public DictionaryEntry Entry => new(_inner.Key, Value);
        public object Key => _inner.Key;
        public object? Value => _shown(_inner.Key, _inner.Value);
        public object Current => Entry;
        public bool MoveNext() => _inner.MoveNext();
        public void Reset() => _inner.Reset();
    }
}

/// <summary>Holds a table setting with nothing secret in it (ApiKeyPrefix), so that changing it in place is noticed.</summary>
public sealed class SettingTable : MaskedDictionary
{
    protected override bool IsSecret(object key) => false;
}

/// <summary>Holds API keys (@{ apitoken = '…' }): every value is a secret.</summary>
public sealed class SecretTable : MaskedDictionary
{
    protected override bool IsSecret(object key) => true;
}

/// <summary>
/// Holds DefaultHeaders: values of credential headers (Authorization in any case, cookies, API
/// keys, tokens) are secrets; the others (X-Trace, …) show as they are.
/// </summary>
public sealed class HeaderTable : MaskedDictionary
{
    protected override bool IsSecret(object key) => Secrets.IsCredentialHeader(Convert.ToString(key));
}
