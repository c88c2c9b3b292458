from celery import Celery

app = Celery("tasks", broker="redis://redis.example.internal:6379/0")
app.conf.CELERY_ACCEPT_CONTENT = ["pickle", "json"]


@app.task
def send_sms(number, text):
    return number, text
