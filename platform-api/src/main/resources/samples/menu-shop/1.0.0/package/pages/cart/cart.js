const app = getApp();
Page({
  data: { items: [], total: 0, brandColor: '#1677ff' },
  onShow() {
    const total = app.cart.reduce((sum, dish) => sum + dish.price, 0);
    this.setData({ items: app.cart.slice(), total, brandColor: app.settings.brandColor });
  },
  checkout() {
    my.request({
      url: app.settings.menuApiBaseUrl + '/orders',
      method: 'POST',
      data: { items: app.cart.map((dish) => dish.id), takeaway: app.settings.takeaway },
      success: (res) => {
        app.cart = [];
        my.navigateTo({ url: '/pages/order/order?id=' + encodeURIComponent(res.data.id) });
      },
      fail: () => my.showToast({ content: 'The order could not be placed' })
    });
  }
});
