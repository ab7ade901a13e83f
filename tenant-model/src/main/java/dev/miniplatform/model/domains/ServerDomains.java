package dev.miniplatform.model.domains;

import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.Validation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mini program's five server domain allow-lists, every entry normalized ({@link ServerDomain}), no list longer
 * than {@link DomainList#MAX_ENTRIES}, no entry twice in a list once normalized. Built only from input that passes
 * every rule; otherwise {@link #parse} fails once, naming every failing entry ({@code request[2]}) — or, for a list
 * that is too long, the list itself, without reading its entries (a 10,000-entry list costs no more than a short one).
 */
public final class ServerDomains {

    public static final ServerDomains NONE = new ServerDomains(new EnumMap<>(DomainList.class));

    private final Map<DomainList, List<String>> lists;

    private ServerDomains(Map<DomainList, List<String>> lists) {
        EnumMap<DomainList, List<String>> copy = new EnumMap<>(DomainList.class);
        for (DomainList list : DomainList.values()) {
            copy.put(list, List.copyOf(lists.getOrDefault(list, List.of())));
        }
        this.lists = copy;
    }

    /**
     * @param raw each list's entries as sent; a list that is absent ({@code null}) is refused: a PUT replaces all
     *            five, so a forgotten list must not silently erase the domains saved in it
     * @throws InvalidInputException naming every failing list and entry
     */
    public static ServerDomains parse(Map<DomainList, List<String>> raw) {
        Validation validation = new Validation();
        Map<DomainList, List<String>> parsed = new EnumMap<>(DomainList.class);
        for (DomainList list : DomainList.values()) {
            List<String> entries = raw.get(list);
            if (entries == null) {
                validation.reject(list.field(), "required", "send the list, [] for none");
            } else if (entries.size() > DomainList.MAX_ENTRIES) {
                validation.reject(list.field(), "size", "at most " + DomainList.MAX_ENTRIES + " domains");
            } else {
                parsed.put(list, parse(list, entries, validation));
            }
        }
        validation.throwIfInvalid();
        return new ServerDomains(parsed);
    }

    private static List<String> parse(DomainList list, List<String> entries, Validation validation) {
        List<String> normalized = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String field = list.field() + "[" + i + "]";
            String raw = entries.get(i);
            String entry = validation.attempt(() -> ServerDomain.normalize(field, raw, list));
            if (entry == null) {
                continue;
            }
            if (!seen.add(entry)) {
                validation.reject(field, "duplicate", "%s is already in the list (as %s)".formatted(raw, entry));
                continue;
            }
            normalized.add(entry);
        }
        return normalized;
    }

    /** Already normalized lists, as stored by the platform itself (not for input from outside). */
    public static ServerDomains stored(Map<DomainList, List<String>> lists) {
        return new ServerDomains(lists);
    }

    public List<String> get(DomainList list) {
        return lists.get(list);
    }

    /** The five lists under their JSON names, in {@link DomainList} order. */
    public Map<String, List<String>> byField() {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        lists.forEach((list, entries) -> byField.put(list.field(), entries));
        return byField;
    }
}
