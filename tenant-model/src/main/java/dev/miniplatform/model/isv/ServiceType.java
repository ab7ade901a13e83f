package dev.miniplatform.model.isv;

/** The two kinds of service an ISV offers merchants (isv-and-merchant: "Service features"). */
public enum ServiceType {
    /** Mini program development for one merchant from scratch. */
    DEVELOPMENT,
    /** Mini program templates applied to many merchants in batches. */
    TEMPLATE
}
