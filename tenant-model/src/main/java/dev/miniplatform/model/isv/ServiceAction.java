package dev.miniplatform.model.isv;

/** What can happen to an ISV service. */
public enum ServiceAction {
    /** A platform admin lists it in the marketplace. */
    APPROVE,
    /** A platform admin refuses it, with a reason. */
    REJECT,
    /** The ISV changes a rejected service and asks again. */
    RESUBMIT
}
